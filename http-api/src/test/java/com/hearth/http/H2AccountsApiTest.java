package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.http.TestNode.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accounts contract on the embedded H2 default, and the accounts turned off. */
class H2AccountsApiTest extends AccountsApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }

  /** With the node's own tokens off (an external provider only), every account route is 404. */
  @Test
  void withLocalTokensOffEveryAccountRouteIs404() throws Exception {
    try (TestDatabase other = TestDatabase.create(TestDatabase.Backend.H2);
        TestNode off = TestNode.start(other, Map.of("hearth.auth.local-tokens", false))) {
      String body =
          "{\"email\":\"x@example.org\",\"password\":\""
              + PASSWORD
              + "\",\"name\":\"X\","
              + "\"role\":\"renter\"}";
      for (String path :
          java.util.List.of(
              "/v1/accounts", "/v1/sessions", "/v1/sessions/refresh", "/v1/sessions/sign-out")) {
        Reply r = off.post(path, null, body);
        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.body().get("detail").asText()).as(path).contains("local-tokens");
      }
    }
  }
}
