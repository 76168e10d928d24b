package org.opdeploy.btrfs;

/**
 * What this host can send and receive: the btrfs-progs version, the highest send protocol both the
 * kernel and the tools speak, and whether {@code --compressed-data} is usable.
 */
public record SendCapabilities(String progsVersion, int maxProtocol, boolean compressedData) {}
