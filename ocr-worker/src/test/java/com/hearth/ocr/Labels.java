package com.hearth.ocr;

import com.hearth.engine.compliance.DocumentType;
import java.util.Locale;
import java.util.Random;

/** The words a generated certificate uses around its values: a random choice of real spellings. */
record Labels(
    String title,
    String holder,
    String number,
    String address,
    String issued,
    String expires,
    String prose,
    String notice,
    boolean upperCaseAuthority) {

  static Labels pick(DocumentType type, Random random) {
    String title =
        switch (type) {
          case HEALTH_PERMIT ->
              one(
                  random,
                  "FOOD SERVICE ESTABLISHMENT PERMIT",
                  "HEALTH PERMIT",
                  "Permit to Operate a Food Establishment",
                  "RETAIL FOOD HEALTH PERMIT");
          case FOOD_HANDLER_CERTIFICATE ->
              one(
                  random,
                  "FOOD HANDLER CERTIFICATE",
                  "Food Handler Card",
                  "FOOD PROTECTION CERTIFICATE",
                  "Certificate of Food Safety Training");
          case BUSINESS_LICENCE ->
              one(
                  random,
                  "BUSINESS LICENSE",
                  "Business Tax Certificate",
                  "GENERAL BUSINESS LICENCE",
                  "Business License Certificate");
          case LIABILITY_INSURANCE ->
              one(
                  random,
                  "CERTIFICATE OF LIABILITY INSURANCE",
                  "Evidence of General Liability Insurance",
                  "CERTIFICATE OF INSURANCE");
          case FIRE_INSPECTION ->
              one(
                  random,
                  "FIRE INSPECTION CERTIFICATE",
                  "Fire Safety Inspection",
                  "CERTIFICATE OF FIRE CODE COMPLIANCE");
        };
    String holder =
        switch (type) {
          case HEALTH_PERMIT ->
              one(
                  random,
                  "Establishment",
                  "Business Name",
                  "Permit Holder",
                  "Name of Establishment");
          case FOOD_HANDLER_CERTIFICATE ->
              one(random, "Name", "Issued to", "Certificate Holder Name");
          case BUSINESS_LICENCE -> one(random, "Business Name", "Licensee", "Trade Name");
          case LIABILITY_INSURANCE -> one(random, "Named Insured", "Insured");
          case FIRE_INSPECTION -> one(random, "Business Name", "Facility Name", "Occupant Name");
        };
    String number =
        switch (type) {
          case HEALTH_PERMIT -> one(random, "Permit No.", "Permit Number", "Permit #");
          case FOOD_HANDLER_CERTIFICATE ->
              one(random, "Certificate No.", "Certificate Number", "Cert #");
          case BUSINESS_LICENCE -> one(random, "License No.", "Licence Number", "License #");
          case LIABILITY_INSURANCE -> one(random, "Policy Number", "Policy No.");
          case FIRE_INSPECTION -> one(random, "Certificate No.", "Inspection No.", "Permit #");
        };
    String address =
        one(random, "Address", "Premises Address", "Location", "Site Address", "Business Address");
    String issued =
        type == DocumentType.LIABILITY_INSURANCE
            ? one(random, "Policy Effective", "Effective Date")
            : type == DocumentType.FIRE_INSPECTION
                ? one(random, "Date of Inspection", "Issue Date", "Date Issued")
                : one(
                    random,
                    "Issue Date",
                    "Date of Issue",
                    "Issued",
                    "Effective Date",
                    "Date Issued");
    String expires =
        type == DocumentType.LIABILITY_INSURANCE
            ? one(random, "Policy Expiration", "Expiration Date", "Expires")
            : one(
                random,
                "Expiration Date",
                "Expires",
                "Valid Until",
                "EXP",
                "Expiry Date",
                "Date of Expiry",
                "Valid Through");
    String prose =
        switch (type) {
          case HEALTH_PERMIT -> "is permitted to operate a food service establishment under";
          case FOOD_HANDLER_CERTIFICATE ->
              "has successfully completed an accredited food handler course";
          case BUSINESS_LICENCE -> "is licensed to conduct business in this jurisdiction under";
          case LIABILITY_INSURANCE -> "is insured for general liability under";
          case FIRE_INSPECTION -> "has passed the annual fire safety inspection under";
        };
    String notice =
        one(
            random,
            "This document must be displayed in a conspicuous place.",
            "Not transferable. Void if altered.",
            "Keep this document on the premises at all times.");
    return new Labels(
        title, holder, number, address, issued, expires, prose, notice, random.nextInt(3) == 0);
  }

  String authorityCase(String authority) {
    return upperCaseAuthority ? authority.toUpperCase(Locale.ROOT) : authority;
  }

  private static String one(Random random, String... options) {
    return options[random.nextInt(options.length)];
  }
}
