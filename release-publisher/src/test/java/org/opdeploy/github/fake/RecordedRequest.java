package org.opdeploy.github.fake;

/**
 * One request the fake received: which server ({@code api}, {@code uploads}), method, raw path with
 * query, the {@code Range} header (or null), and whether it carried {@code Authorization}.
 */
public record RecordedRequest(
    String server,
    String method,
    String pathAndQuery,
    String range,
    boolean authorized,
    String accept) {

  public String path() {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }
}
