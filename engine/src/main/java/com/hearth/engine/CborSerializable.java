package com.hearth.engine;

/**
 * Marker for every message, event and snapshot that crosses a node or reaches the journal. It is
 * bound to the jackson-cbor serializer in {@code reference.conf}; Java serialization stays off.
 */
public interface CborSerializable {}
