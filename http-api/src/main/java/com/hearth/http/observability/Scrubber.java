package com.hearth.http.observability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes personal data and secrets from a log line before it is written (both log formats and
 * Sentry go through it): e-mail addresses, bearer tokens and JWTs, the values of {@code
 * Authorization} and {@code Stripe-Signature}, Stripe keys, webhook secrets and client secrets,
 * card numbers (digit runs that pass the Luhn check), and the values of fields named like a
 * person's name, a password, a secret or a token. Hearth's own log lines name ids, never people;
 * this is the net under libraries' messages and exceptions that echo what they were given.
 */
public final class Scrubber {

  private Scrubber() {}

  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
  private static final Pattern HEADER =
      Pattern.compile(
          "(?i)\\b(authorization|stripe-signature|cookie|set-cookie|x-api-key)(\"?\\s*[:=]\\s*\"?)(?:(?:bearer|basic)\\s+)?[^\\s\"]+");
  private static final Pattern STRIPE_SIGNATURE =
      Pattern.compile("\\bt=\\d{9,},\\s*v\\d=[0-9a-fA-F]{16,}[^\\s\"]*");
  private static final Pattern STRIPE_SECRET =
      Pattern.compile(
          "\\b(?:(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{6,}|whsec_[A-Za-z0-9]{6,}|pi_[A-Za-z0-9]+_secret_[A-Za-z0-9]+)");
  private static final Pattern FIELD =
      Pattern.compile(
          "(?i)(\"?\\b(?:name|full_name|first_name|last_name|holder|holder_name|contact_name|display_name|phone|address"
              + "|password|passwd|password_hash|secret|client_secret|token|access_?token|refresh_?token|api_key|apikey|jwt_secret|card|card_number|cvc|iban)\"?\\s*[:=]\\s*)"
              + "(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^,;&\\s}\\]]+)");

  /** A built-in account's refresh token ({@code hrt_} and base64url) and Argon2 hashes. */
  private static final Pattern REFRESH_TOKEN = Pattern.compile("\\bhrt_[A-Za-z0-9_-]{16,}");

  private static final Pattern PASSWORD_HASH = Pattern.compile("\\$argon2(?:id|i|d)\\$[^\\s\"]+");
  private static final Pattern DIGITS = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");

  public static String scrub(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = HEADER.matcher(text).replaceAll("$1$2[redacted]");
    out = JWT.matcher(out).replaceAll("[token]");
    out = BEARER.matcher(out).replaceAll("$1 [redacted]");
    out = STRIPE_SIGNATURE.matcher(out).replaceAll("[signature]");
    out = STRIPE_SECRET.matcher(out).replaceAll("[secret]");
    out = REFRESH_TOKEN.matcher(out).replaceAll("[token]");
    out = PASSWORD_HASH.matcher(out).replaceAll("[hash]");
    out = EMAIL.matcher(out).replaceAll("[email]");
    out = FIELD.matcher(out).replaceAll("$1[redacted]");
    return cards(out);
  }

  private static String cards(String text) {
    Matcher m = DIGITS.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find())
      m.appendReplacement(out, luhn(m.group()) ? "[card]" : Matcher.quoteReplacement(m.group()));
    m.appendTail(out);
    return out.toString();
  }

  static boolean luhn(String candidate) {
    String digits = candidate.replaceAll("[ -]", "");
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return sum % 10 == 0;
  }
}
