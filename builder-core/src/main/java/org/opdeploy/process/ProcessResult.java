package org.opdeploy.process;

/** A finished process: exit code, captured stdout (empty when streamed) and the tail of stderr. */
public record ProcessResult(int exitCode, String stdout, String stderrTail) {}
