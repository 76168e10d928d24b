package org.opdeploy.golden;

import java.nio.file.Path;

/**
 * A host file installed into the golden on every refresh.
 *
 * @param from the host file, already expanded and absolute
 * @param to the absolute path inside the golden
 * @param mode the permission bits to set, or -1 to take 0755/0644 from the source's exec bit
 */
public record PayloadFile(Path from, String to, int mode) {}
