package com.hearth.engine.kitchen;

/** A listing's state; only PUBLISHED kitchens take new holds. */
public enum KitchenStatus {
  DRAFT,
  PUBLISHED,
  PAUSED,
  SUSPENDED
}
