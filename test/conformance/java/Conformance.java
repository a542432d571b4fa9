// The official Stytch Java SDK (com.stytch.java:sdk, pinned in pom.xml) against a running
// stytch-mock over HTTPS, trusting the local CA through a trust store as a Java user would.
// Reads STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_MOCK_URL and STYTCH_MOCK_HTTPS_URL; prints one
// JSON line per check and exits 1 if any failed. Run by test/conformance/java.test.ts.
import com.stytch.java.b2b.StytchB2BClient;
import com.stytch.java.common.JWTAuthResponse;
import com.stytch.java.common.JWTResponse;
import com.stytch.java.common.OptionalClientConfig;
import com.stytch.java.common.StytchException;
import com.stytch.java.common.StytchResult;
import com.stytch.java.consumer.StytchClient;
import com.stytch.java.consumer.models.sessions.AuthenticateRequest;
import com.stytch.java.consumer.models.sessions.AuthenticateResponse;
import com.stytch.java.consumer.models.sessions.RevokeRequest;
import com.stytch.java.consumer.models.sessions.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Conformance {
  static final String PROJECT_ID = System.getenv("STYTCH_PROJECT_ID");
  static final String SECRET = System.getenv("STYTCH_SECRET");
  static final String HTTP_URL = System.getenv("STYTCH_MOCK_URL");
  static final String HTTPS_URL = System.getenv("STYTCH_MOCK_HTTPS_URL");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static boolean failed = false;

  /** The mock's test-control API, over plain HTTP; returns the raw JSON text. */
  static String control(String path, String body) throws Exception {
    String auth = Base64.getEncoder().encodeToString((PROJECT_ID + ":" + SECRET).getBytes());
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(HTTP_URL + path)).header("Authorization", "Basic " + auth).header("Content-Type", "application/json");
    req = body == null ? req.GET() : req.POST(HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) throw new AssertionError(path + ": " + res.statusCode() + " " + res.body());
    return res.body();
  }

  /** One string field of a JSON text (the control API's answers are flat enough for this). */
  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
    if (!m.find()) throw new AssertionError("no " + name + " in " + json);
    return m.group(1);
  }

  static <T> T ok(StytchResult<T> result) {
    if (result instanceof StytchResult.Success<T> s) return s.getValue();
    throw new AssertionError("expected success, got " + result);
  }

  static String errorType(StytchResult<?> result) {
    if (result instanceof StytchResult.Error e && e.getException() instanceof StytchException.Response r) return r.getReason().getErrorType();
    throw new AssertionError("expected a Stytch error response, got " + result);
  }

  static void expect(boolean cond, String message) {
    if (!cond) throw new AssertionError(message);
  }

  static void check(String name, Callable<String> body) {
    String line;
    try {
      line = "{\"check\":\"" + name + "\",\"ok\":true,\"detail\":\"" + body.call() + "\"}";
    } catch (Throwable t) {
      failed = true;
      line = "{\"check\":\"" + name + "\",\"ok\":false,\"detail\":\"" + String.valueOf(t).replace("\\", "\\\\").replace("\"", "'").replace("\n", " ") + "\"}";
    }
    System.out.println(line);
  }

  public static void main(String[] args) throws Exception {
    // No trailing slash: the SDK appends "/v1/..." itself (with one, every path starts with "//").
    OptionalClientConfig config = new OptionalClientConfig(HTTPS_URL);
    StytchClient client = new StytchClient(PROJECT_ID, SECRET, config);
    StytchB2BClient b2b = new StytchB2BClient(PROJECT_ID, SECRET, config);
    control("/_mock/reset", "");

    check("authenticate by session_token", () -> {
      String seeded = control("/_mock/sessions", "{\"email\":\"java@example.com\"}");
      AuthenticateResponse res = ok(client.getSessions().authenticateCompletable(new AuthenticateRequest(field(seeded, "session_token"))).get());
      expect(res.getSession().getSessionId().equals(field(seeded, "session_id")), "wrong session");
      return res.getSession().getSessionId();
    });

    check("authenticateJwtLocal against the JWKS", () -> {
      String seeded = control("/_mock/sessions", "{\"email\":\"java-jwt@example.com\",\"custom_claims\":{\"tier\":\"gold\"}}");
      Session session = ok(client.getSessions().authenticateJwtLocalCompletable(field(seeded, "session_jwt"), null, 0).get());
      expect(session.getUserId().equals(field(seeded, "user_id")), "wrong user");
      expect("gold".equals(session.getCustomClaims().get("tier")), "custom claims " + session.getCustomClaims());
      return session.getSessionId();
    });

    check("expired JWT falls back to the API after the clock moves 301 s", () -> {
      // The SDK verifies with the real clock, so the JWT is minted 301 s in the (virtual) past.
      control("/_mock/clock", "{\"advance_seconds\":-301}");
      String seeded = control("/_mock/sessions", "{\"email\":\"java-expired@example.com\"}");
      control("/_mock/clock", "{\"advance_seconds\":301}");
      String jwt = field(seeded, "session_jwt");
      StytchResult<Session> local = client.getSessions().authenticateJwtLocalCompletable(jwt, null, 0).get();
      expect(local instanceof StytchResult.Error, "the expired JWT verified locally");
      JWTResponse res = ok(client.getSessions().authenticateJwtCompletable(jwt, null).get());
      expect(res instanceof JWTAuthResponse, "no API fallback: " + res);
      String fresh = ((JWTAuthResponse) res).getResponse().getSessionJWT();
      expect(!fresh.equals(jwt), "no fresh JWT");
      ok(client.getSessions().authenticateJwtLocalCompletable(fresh, null, 0).get());
      return ((JWTAuthResponse) res).getResponse().getSession().getSessionId();
    });

    check("revoke, then session_not_found", () -> {
      String seeded = control("/_mock/sessions", "{\"email\":\"java-revoke@example.com\"}");
      ok(client.getSessions().revokeCompletable(new RevokeRequest(field(seeded, "session_id"))).get());
      String type = errorType(client.getSessions().authenticateCompletable(new AuthenticateRequest(field(seeded, "session_token"))).get());
      expect(type.equals("session_not_found"), type);
      return type;
    });

    check("B2B authenticate and exchange", () -> {
      String seeded = control("/_mock/b2b/sessions", "{\"organization_slug\":\"acme\",\"email_address\":\"grace@example.com\"}");
      String token = field(seeded, "session_token");
      var res = ok(b2b.getSessions().authenticateCompletable(new com.stytch.java.b2b.models.sessions.AuthenticateRequest(token)).get());
      expect(res.getOrganization().getOrganizationSlug().equals("acme"), "wrong organization");
      var local = ok(b2b.getSessions().authenticateJwtLocalCompletable(res.getSessionJWT(), null, null, 0).get());
      expect(local.getOrganizationId().equals(res.getOrganization().getOrganizationId()), "B2B JWT did not verify locally");
      var ex = ok(b2b.getSessions().exchangeCompletable(new com.stytch.java.b2b.models.sessions.ExchangeRequest("globex", token)).get());
      expect(ex.getMemberAuthenticated() && ex.getMemberSession().getOrganizationSlug().equals("globex"), "exchange did not switch");
      var mfa = ok(b2b.getSessions().exchangeCompletable(new com.stytch.java.b2b.models.sessions.ExchangeRequest("initech", token)).get());
      expect(!mfa.getMemberAuthenticated() && mfa.getIntermediateSessionToken().length() == 44, "MFA organization did not ask for MFA");
      return ex.getMemberSession().getMemberSessionId();
    });

    check("errors surface as StytchException.Response with the error_type", () -> {
      String type = errorType(client.getSessions().authenticateCompletable(new AuthenticateRequest("INVALID")).get());
      expect(type.equals("invalid_session_token"), type);
      return type;
    });

    System.exit(failed ? 1 : 0);
  }
}
