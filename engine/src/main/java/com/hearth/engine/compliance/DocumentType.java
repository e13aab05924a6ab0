package com.hearth.engine.compliance;

/** The kinds of certificate a host can upload for a kitchen; the compliance rules name them. */
public enum DocumentType {
  HEALTH_PERMIT,
  FOOD_HANDLER_CERTIFICATE,
  BUSINESS_LICENCE,
  LIABILITY_INSURANCE,
  FIRE_INSPECTION
}
