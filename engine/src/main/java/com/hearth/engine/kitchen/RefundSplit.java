package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;

/**
 * Who gives back what of a refund: the host's payout, the platform's fee and the tax each carry
 * their share, and the three always add up to the refund.
 */
public record RefundSplit(long hostCents, long platformCents, long taxCents)
    implements CborSerializable {

  public static final RefundSplit NONE = new RefundSplit(0, 0, 0);

  public long totalCents() {
    return hostCents + platformCents + taxCents;
  }
}
