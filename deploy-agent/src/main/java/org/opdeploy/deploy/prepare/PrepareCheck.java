package org.opdeploy.deploy.prepare;

/**
 * One readiness check of {@code target prepare}: what was checked, whether it passed, and the
 * detail.
 */
public record PrepareCheck(String name, boolean ok, String detail) {
  static PrepareCheck pass(String name, String detail) {
    return new PrepareCheck(name, true, detail);
  }

  static PrepareCheck fail(String name, String detail) {
    return new PrepareCheck(name, false, detail);
  }
}
