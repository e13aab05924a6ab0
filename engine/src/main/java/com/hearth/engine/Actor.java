package com.hearth.engine;

import java.util.Set;

/** The authenticated principal on whose behalf a command runs; never taken from a request body. */
public record Actor(String id, Set<Role> roles) implements CborSerializable {

  public static final Actor SYSTEM = new Actor("system", Set.of(Role.SYSTEM));

  public Actor {
    roles = Set.copyOf(roles);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return has(Role.ADMIN);
  }
}
