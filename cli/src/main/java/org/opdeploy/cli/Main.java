package org.opdeploy.cli;

/** Entry point placeholder; replaced by the picocli command tree. */
public final class Main {
  public static void main(String[] args) {}
}
