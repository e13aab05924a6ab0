package com.hearth.engine.kitchen;

import com.hearth.engine.kitchen.KitchenEntity.HoldKey;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import org.pcollections.HashPMap;
import org.pcollections.HashTreePMap;
import org.pcollections.TreePMap;

/**
 * The idempotency keys of a kitchen's holds, by renter-scoped key, also ordered by when they were
 * used so that forgetting the old ones looks only at those. Persistent like {@link Bookings}, and
 * like it a read-only {@link Map}, so snapshots keep their format.
 */
final class HoldKeys extends AbstractMap<String, HoldKey> {

  private static final HoldKeys EMPTY = new HoldKeys(HashTreePMap.empty(), TreePMap.empty());

  private final HashPMap<String, HoldKey> byScopedKey;
  private final TreePMap<TimeKey, String> scopedKeysByUse;

  private HoldKeys(
      HashPMap<String, HoldKey> byScopedKey, TreePMap<TimeKey, String> scopedKeysByUse) {
    this.byScopedKey = byScopedKey;
    this.scopedKeysByUse = scopedKeysByUse;
  }

  static HoldKeys of(Map<String, HoldKey> keys) {
    if (keys instanceof HoldKeys indexed) return indexed;
    HoldKeys all = EMPTY;
    for (Map.Entry<String, HoldKey> e : keys.entrySet()) all = all.with(e.getKey(), e.getValue());
    return all;
  }

  HoldKeys with(String scopedKey, HoldKey key) {
    HoldKey old = byScopedKey.get(scopedKey);
    TreePMap<TimeKey, String> byUse =
        old == null ? scopedKeysByUse : scopedKeysByUse.minus(new TimeKey(old.at(), scopedKey));
    return new HoldKeys(
        byScopedKey.plus(scopedKey, key), byUse.plus(new TimeKey(key.at(), scopedKey), scopedKey));
  }

  /**
   * These keys without the ones used before {@code cutoff}; this very value when there are none.
   */
  HoldKeys withoutUsedBefore(Instant cutoff) {
    TreePMap<TimeKey, String> stale = scopedKeysByUse.headMap(TimeKey.before(cutoff));
    if (stale.isEmpty()) return this;
    return new HoldKeys(
        byScopedKey.minusAll(stale.values()), scopedKeysByUse.minusAll(stale.keySet()));
  }

  @Override
  public Set<Entry<String, HoldKey>> entrySet() {
    return byScopedKey.entrySet();
  }

  @Override
  public HoldKey get(Object scopedKey) {
    return byScopedKey.get(scopedKey);
  }

  @Override
  public boolean containsKey(Object scopedKey) {
    return byScopedKey.containsKey(scopedKey);
  }

  @Override
  public int size() {
    return byScopedKey.size();
  }
}
