package com.hearth.http;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The money commands of the command line. Each asks a running node for a CSV report with an admin
 * token minted with the node's secret (as {@code rebuild-read-models} does with an operator's),
 * writes the CSV to standard output exactly as the node sent it, and says what happened on standard
 * error. Exit status: 0 done, 1 the node failed or could not be reached, 2 bad usage, and for
 * {@code reconcile} 3 when there are differences.
 */
public final class AdminCli {

  private AdminCli() {}

  /** Lines for {@code Main.USAGE}, aligned with its own. */
  public static final String USAGE =
      """
             hearth payouts --week 2026-W48 [--url http://127.0.0.1:8080]
                                                          the week's host payouts as CSV: made and recorded on the
                                                          first request, the same on every later one
             hearth reconcile --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z [--url ...]
                                                          differences between the payment gateway and the read
                                                          tables over [from, to) as CSV; exit status 3 if any
      """
          .stripTrailing();

  /** Lines of {@code admin} for {@code Main.USAGE}. */
  public static final String ADMIN_USAGE =
      """
             hearth admin create --email E [--name N] [--url http://127.0.0.1:8080]
                                                          make an admin account on the running node; the
                                                          password is read from the terminal or stdin
      """
          .stripTrailing();

  static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** {@code hearth payouts --week YYYY-Www [--url U]}. */
  public static int payouts(String[] args) {
    return payouts(args, System.out, System.err);
  }

  /** {@code hearth reconcile --from INSTANT --to INSTANT [--url U]}. */
  public static int reconcile(String[] args) {
    return reconcile(args, System.out, System.err);
  }

  /** {@code hearth admin create --email E [--name N] [--url U]}, the password from stdin. */
  public static int admin(String[] args) {
    return admin(args, System.in, System.out, System.err);
  }

  /**
   * Makes an admin account through the running node ({@code POST /v1/admin/accounts}). The password
   * is read from the terminal without echo (asked twice), or else from the first line of {@code
   * in}: never from the command line, where {@code ps} and the shell's history would show it.
   */
  static int admin(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("create")) {
      err.println("usage:\n" + ADMIN_USAGE);
      return 2;
    }
    Map<String, String> options =
        options(
            Arrays.copyOfRange(args, 1, args.length),
            Set.of("--email", "--name", "--url"),
            List.of("--email"),
            ADMIN_USAGE,
            err);
    if (options == null) return 2;
    String password;
    try {
      password = readPassword(in, err);
    } catch (IOException e) {
      err.println("cannot read the password: " + e.getMessage());
      return 2;
    }
    if (password == null) return 2;
    String email = options.get("--email").strip();
    String name =
        options.getOrDefault(
            "--name", email.contains("@") ? email.substring(0, email.indexOf('@')) : email);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("email", email);
    body.put("password", password);
    body.put("name", name);
    body.put("role", "admin");
    HttpResponse<byte[]> response =
        send(
            options,
            "/v1/admin/accounts",
            HttpRequest.BodyPublishers.ofString(Json.write(body)),
            "POST",
            err);
    if (response == null) return 1;
    if (response.statusCode() != 201) return failed(response, err);
    out.println(new String(response.body(), StandardCharsets.UTF_8));
    err.println("admin account made; sign in with POST /v1/sessions");
    return 0;
  }

  /** The password: from the terminal without echo, asked twice, or the first line of {@code in}. */
  private static String readPassword(InputStream in, PrintStream err) throws IOException {
    java.io.Console console = in == System.in ? System.console() : null;
    if (console != null) {
      char[] first = console.readPassword("password for the new admin: ");
      char[] again = console.readPassword("the same password again: ");
      if (first == null || again == null || !Arrays.equals(first, again)) {
        err.println("the two passwords differ");
        return null;
      }
      return new String(first);
    }
    String line =
        new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))
            .readLine();
    if (line == null || line.isEmpty()) {
      err.println("no password on standard input (give it as its first line)");
      return null;
    }
    return line;
  }

  static int payouts(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = options(args, Set.of("--week", "--url"), List.of("--week"), err);
    if (options == null) return 2;
    HttpResponse<byte[]> response =
        get(options, "/v1/admin/payouts?week=" + encode(options.get("--week")), err);
    if (response == null) return 1;
    if (response.statusCode() != 200) return failed(response, err);
    out.writeBytes(response.body());
    out.flush();
    boolean created =
        response.headers().firstValue("X-Payout-Batch-Created").orElse("false").equals("true");
    err.println(
        created
            ? "payout batch " + options.get("--week") + " made and recorded"
            : "payout batch " + options.get("--week") + " as recorded earlier");
    return 0;
  }

  static int reconcile(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options =
        options(args, Set.of("--from", "--to", "--url"), List.of("--from", "--to"), err);
    if (options == null) return 2;
    HttpResponse<byte[]> response =
        get(
            options,
            "/v1/admin/reconciliation?from="
                + encode(options.get("--from"))
                + "&to="
                + encode(options.get("--to")),
            err);
    if (response == null) return 1;
    if (response.statusCode() != 200) return failed(response, err);
    out.writeBytes(response.body());
    out.flush();
    String count = response.headers().firstValue("X-Reconciliation-Mismatches").orElse("0");
    err.println(
        count.equals("0")
            ? "no differences"
            : count.equals("1") ? "1 difference" : count + " differences");
    return count.equals("0") ? 0 : 3;
  }

  /**
   * {@code --name value} pairs among {@code allowed}, with every one of {@code required}; null (and
   * usage printed) otherwise.
   */
  private static Map<String, String> options(
      String[] args, Set<String> allowed, List<String> required, PrintStream err) {
    return options(args, allowed, required, USAGE, err);
  }

  private static Map<String, String> options(
      String[] args, Set<String> allowed, List<String> required, String usage, PrintStream err) {
    Map<String, String> options = new LinkedHashMap<>();
    String problem = args.length % 2 != 0 ? "options take a value" : null;
    for (int i = 0; problem == null && i + 1 < args.length; i += 2) {
      if (!allowed.contains(args[i])) problem = "unknown option " + args[i];
      else options.put(args[i], args[i + 1]);
    }
    for (String name : required)
      if (problem == null && !options.containsKey(name)) problem = name + " is required";
    if (problem == null) return options;
    err.println(problem + "\nusage:\n" + usage);
    return null;
  }

  /**
   * GETs {@code pathAndQuery} from the node at --url (default: this machine's port) as an admin;
   * null if no node answered.
   */
  private static HttpResponse<byte[]> get(
      Map<String, String> options, String pathAndQuery, PrintStream err) {
    return send(options, pathAndQuery, HttpRequest.BodyPublishers.noBody(), "GET", err);
  }

  /**
   * Sends a request to the node at --url (default: this machine's port) with a short-lived admin
   * token minted from the local secret; null if no node answered.
   */
  private static HttpResponse<byte[]> send(
      Map<String, String> options,
      String pathAndQuery,
      HttpRequest.BodyPublisher body,
      String method,
      PrintStream err) {
    String url =
        options
            .getOrDefault(
                "--url", "http://127.0.0.1:" + ConfigFactory.load().getInt("hearth.http.port"))
            .replaceAll("/+$", "");
    // The batch records who made it: the person at this terminal.
    String token =
        Main.token(
            new String[] {
              "--sub",
              "cli:" + System.getProperty("user.name", "unknown"),
              "--roles",
              "admin",
              "--ttl",
              "5m"
            });
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url + pathAndQuery))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .timeout(TIMEOUT)
              .method(method, body)
              .build();
    } catch (IllegalArgumentException e) {
      err.println("not a URL: " + url);
      return null;
    }
    try {
      return HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .build()
          .send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      err.println(
          "no node answered at "
              + url
              + ": "
              + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int failed(HttpResponse<byte[]> response, PrintStream err) {
    err.println(response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
    return 1;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
