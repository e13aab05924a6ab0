-- Read models of the payments, written from the payment entities' journal events, and the
-- payout batches. payments, refunds and payment_events are derived (rebuildable); the payout
-- tables are records of money sent to hosts and are never rebuilt.

-- One row per booking that was asked to be paid.
CREATE TABLE payments (
  booking_id        VARCHAR(51)  PRIMARY KEY,
  kitchen_id        VARCHAR(36)  NOT NULL,
  host_id           VARCHAR(255) NOT NULL,
  renter_id         VARCHAR(255) NOT NULL,
  intent_id         VARCHAR(255),
  amount_cents      BIGINT       NOT NULL,
  currency          CHAR(3)      NOT NULL,
  status            VARCHAR(32)  NOT NULL,
  paid_cents        BIGINT       NOT NULL DEFAULT 0,
  refunded_cents    BIGINT       NOT NULL DEFAULT 0,
  outcome           VARCHAR(16)  NOT NULL,
  disputed          BOOLEAN      NOT NULL DEFAULT FALSE,
  requested_at      TIMESTAMP WITH TIME ZONE  NOT NULL,
  intent_created_at TIMESTAMP WITH TIME ZONE,
  succeeded_at      TIMESTAMP WITH TIME ZONE,
  failed_at         TIMESTAMP WITH TIME ZONE,
  confirmed_at      TIMESTAMP WITH TIME ZONE,
  CHECK (refunded_cents >= 0 AND refunded_cents <= paid_cents)
);
CREATE INDEX payments_intent_idx ON payments (intent_id);
CREATE INDEX payments_host_idx ON payments (host_id, requested_at);
CREATE INDEX payments_requested_idx ON payments (requested_at);

-- One row per refund, from its request to its outcome, with the share each party gives back.
CREATE TABLE refunds (
  refund_key            VARCHAR(400) PRIMARY KEY,
  booking_id            VARCHAR(51)  NOT NULL,
  kind                  VARCHAR(16)  NOT NULL,
  amount_cents          BIGINT       NOT NULL,
  currency              CHAR(3)      NOT NULL,
  reason                VARCHAR(500),
  status                VARCHAR(16)  NOT NULL,
  gateway_refund_id     VARCHAR(255),
  requested_by          VARCHAR(255) NOT NULL,
  requested_by_role     VARCHAR(16)  NOT NULL,
  requested_at          TIMESTAMP WITH TIME ZONE  NOT NULL,
  succeeded_at          TIMESTAMP WITH TIME ZONE,
  rejected_at           TIMESTAMP WITH TIME ZONE,
  host_share_cents      BIGINT       NOT NULL DEFAULT 0,
  platform_share_cents  BIGINT       NOT NULL DEFAULT 0,
  tax_share_cents       BIGINT       NOT NULL DEFAULT 0,
  -- 0 is possible: a late payment's refund of what earlier refunds left, when they left nothing
  -- (the gateway then rejects it). The read model keeps what the journal says.
  CHECK (amount_cents >= 0)
);
CREATE INDEX refunds_booking_idx ON refunds (booking_id);
CREATE INDEX refunds_succeeded_idx ON refunds (succeeded_at);
CREATE INDEX refunds_gateway_idx ON refunds (gateway_refund_id);

-- Where the two projection families meet per booking: the kitchens' (which knows the booking's
-- price) and the payments' (which knows its refunds) each lock the booking's row here before
-- reading the other's table, so that whichever commits second completes the refunds' shares.
-- Holds no data; see RefundShares in com.hearth.projections.
CREATE TABLE refund_share_locks (
  booking_id VARCHAR(51) PRIMARY KEY
);

-- Append-only audit trail of the payments: one row per payment journal event. The booking id is
-- wider than a booking's: a verified gateway event naming an unknown booking is recorded as well.
CREATE TABLE payment_events (
  booking_id     VARCHAR(255) NOT NULL,
  seq_nr         BIGINT       NOT NULL,
  journal_offset BIGINT       NOT NULL,
  event_type     VARCHAR(64)  NOT NULL,
  occurred_at    TIMESTAMP WITH TIME ZONE  NOT NULL,
  data           CHARACTER LARGE OBJECT        NOT NULL,
  PRIMARY KEY (booking_id, seq_nr)
);
CREATE INDEX payment_events_occurred_idx ON payment_events (occurred_at);

-- A week's payouts, made once: running the payout for a week again returns this batch, and its
-- rows are never updated. Weeks are ISO weeks in UTC: Monday 00:00Z to the next Monday 00:00Z.
CREATE TABLE payout_batches (
  week        VARCHAR(8)   PRIMARY KEY,  -- ISO week, e.g. 2026-W48
  week_start  DATE         NOT NULL,     -- its Monday (UTC)
  week_end    DATE         NOT NULL,     -- the next Monday, exclusive
  created_at  TIMESTAMP WITH TIME ZONE  NOT NULL,
  created_by  VARCHAR(255) NOT NULL
);

-- One row per host and currency of a batch: the sums of its items, so that
-- payout = gross - fees - refunds on every row (gross is before tax; refunds are the host's share).
CREATE TABLE payout_lines (
  week               VARCHAR(8)   NOT NULL REFERENCES payout_batches (week),
  host_id            VARCHAR(255) NOT NULL,
  currency           CHAR(3)      NOT NULL,
  bookings           INTEGER      NOT NULL,
  gross_cents        BIGINT       NOT NULL,
  fees_cents         BIGINT       NOT NULL,
  refunds_cents      BIGINT       NOT NULL,
  payout_cents       BIGINT       NOT NULL,
  PRIMARY KEY (week, host_id, currency),
  CHECK (payout_cents = gross_cents - fees_cents - refunds_cents)
);

-- What each batch paid for. A booking is paid out at most once and a refund's host share is taken
-- off at most once: the primary key is the booking id, or 'refund:' + the refund key.
CREATE TABLE payout_items (
  item_id       VARCHAR(420) PRIMARY KEY,
  week          VARCHAR(8)   NOT NULL REFERENCES payout_batches (week),
  kind          VARCHAR(8)   NOT NULL,  -- BOOKING or REFUND
  host_id       VARCHAR(255) NOT NULL,
  booking_id    VARCHAR(51)  NOT NULL,
  refund_key    VARCHAR(400),           -- for a REFUND item
  currency      CHAR(3)      NOT NULL,
  gross_cents   BIGINT       NOT NULL,  -- BOOKING: subtotal (host payout + platform fee); REFUND: 0
  fees_cents    BIGINT       NOT NULL,  -- BOOKING: platform fee; REFUND: 0
  refunds_cents BIGINT       NOT NULL,  -- BOOKING: 0; REFUND: the host's share of the refund
  amount_cents  BIGINT       NOT NULL,  -- what it adds to the payout (negative for a refund)
  CHECK (kind IN ('BOOKING', 'REFUND')),
  CHECK (amount_cents = gross_cents - fees_cents - refunds_cents)
);
CREATE INDEX payout_items_week_idx ON payout_items (week, host_id);
