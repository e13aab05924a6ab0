package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;

/** A booking's price in integer minor units, fixed when the hold is placed. */
public record PriceBreakdown(
    long subtotalCents,
    long platformFeeCents,
    long taxCents,
    long totalCents,
    long hostPayoutCents,
    String currency)
    implements CborSerializable {}
