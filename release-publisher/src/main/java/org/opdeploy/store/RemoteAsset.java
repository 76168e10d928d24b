package org.opdeploy.store;

/** One asset of a stored release: its name, size in bytes and, when the store knows it, SHA-256. */
public record RemoteAsset(String name, long size, String sha256) {}
