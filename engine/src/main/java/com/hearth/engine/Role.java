package com.hearth.engine;

/** What a principal may do. {@link #SYSTEM} is the platform itself (timers, expiry). */
public enum Role {
  RENTER,
  HOST,
  ADMIN,
  OPERATOR,
  SYSTEM
}
