package com.hearth.engine;

import java.util.Set;

/**
 * The authenticated principal on whose behalf a command runs; never taken from a request body.
 * {@code name} and {@code email} are the token's optional contact claims (null when absent).
 */
public record Actor(String id, Set<Role> roles, String name, String email)
    implements CborSerializable {

  public static final Actor SYSTEM = new Actor("system", Set.of(Role.SYSTEM));

  public Actor {
    roles = Set.copyOf(roles);
  }

  public Actor(String id, Set<Role> roles) {
    this(id, roles, null, null);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return has(Role.ADMIN);
  }

  /**
   * Whether this principal acts as the host {@code hostId}: its id and the host role. Host rights
   * follow both, so a token of another role that happens to carry a host's id gets none of them.
   */
  public boolean isHostOf(String hostId) {
    return has(Role.HOST) && id.equals(hostId);
  }
}
