package org.opdeploy.http;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class HttpTransportTest {
  @Test
  void neverRetriesOrFollowsRedirectsBehindTheCallersBack() {
    OkHttpClient client = HttpTransport.newClient();
    assertThat(client.retryOnConnectionFailure()).isFalse();
    assertThat(client.followRedirects()).isFalse();
    assertThat(client.followSslRedirects()).isFalse();
    assertThat(client.callTimeoutMillis()).isZero();
  }
}
