package com.hearth.engine.host;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a host is, as the host states it: the legal name (who is paid), the business name (what
 * certificates are issued to), a contact, the business address and the jurisdiction whose
 * compliance rules apply (a country, ISO 3166-1 alpha-2, and optionally a region or city). Optional
 * fields are null when absent.
 */
public record HostProfile(
    String legalName,
    String businessName,
    String contactName,
    String contactEmail,
    String contactPhone,
    String address,
    String city,
    String region,
    String postalCode,
    String country)
    implements CborSerializable {

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  /** Every field that is missing, too long or malformed, named as the API spells it. */
  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    required(errors, "legal_name", legalName, 200);
    required(errors, "business_name", businessName, 200);
    optional(errors, "contact_name", contactName, 200);
    required(errors, "contact_email", contactEmail, 320);
    if (contactEmail != null && !contactEmail.isBlank() && !EMAIL.matcher(contactEmail).matches())
      errors.add(new FieldError("contact_email", "must be an e-mail address"));
    optional(errors, "contact_phone", contactPhone, 40);
    required(errors, "address", address, 300);
    optional(errors, "city", city, 100);
    optional(errors, "region", region, 100);
    optional(errors, "postal_code", postalCode, 20);
    if (country == null || country.isBlank()) errors.add(new FieldError("country", "is required"));
    else if (!COUNTRIES.contains(country))
      errors.add(new FieldError("country", "must be an ISO 3166-1 alpha-2 code such as US or DE"));
    return errors;
  }

  /** The jurisdiction whose rules apply: {@code US}, or {@code US-NY} when a region is given. */
  public String jurisdiction() {
    return region == null || region.isBlank() ? country : country + "-" + region;
  }

  private static void required(List<FieldError> errors, String field, String value, int max) {
    if (value == null || value.isBlank()) errors.add(new FieldError(field, "is required"));
    else optional(errors, field, value, max);
  }

  private static void optional(List<FieldError> errors, String field, String value, int max) {
    if (value != null && value.length() > max)
      errors.add(new FieldError(field, "must be at most " + max + " characters"));
    if (value != null && value.isBlank())
      errors.add(new FieldError(field, "must not be blank; leave it out instead"));
  }
}
