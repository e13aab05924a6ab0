-- Read models written by the projections in com.hearth.projections from the kitchens' journal.
-- Every table here is derived: it can be emptied and rebuilt from the journal at any time (see
-- docs/analytics.md). Amounts are integer minor units of the kitchen's currency; instants are UTC.

-- Offsets of the projections, written in the same transaction as the rows they account for
-- (the layout pekko-projection-jdbc expects with use-lowercase-schema = true).
CREATE TABLE pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key  VARCHAR(255) NOT NULL,
  current_offset  VARCHAR(255) NOT NULL,
  manifest        VARCHAR(4)   NOT NULL,
  mergeable       BOOLEAN      NOT NULL,
  last_updated    BIGINT       NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);
CREATE INDEX projection_name_index ON pekko_projection_offset_store (projection_name);

CREATE TABLE pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key  VARCHAR(255) NOT NULL,
  paused          BOOLEAN      NOT NULL,
  last_updated    BIGINT       NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);

-- One row per kitchen listing, as it stands now.
CREATE TABLE kitchens (
  kitchen_id           VARCHAR(36)  PRIMARY KEY,
  host_id              VARCHAR(255) NOT NULL,
  name                 VARCHAR(200) NOT NULL,
  address              VARCHAR(500),
  city                 VARCHAR(100),
  time_zone            VARCHAR(64)  NOT NULL,
  currency             CHAR(3)      NOT NULL,
  hourly_rate_cents    BIGINT       NOT NULL,
  tax_bps              INTEGER      NOT NULL,
  status               VARCHAR(16)  NOT NULL,
  slot_minutes         INTEGER      NOT NULL,
  min_duration_minutes INTEGER      NOT NULL,
  max_duration_minutes INTEGER      NOT NULL,
  min_notice_minutes   INTEGER      NOT NULL,
  horizon_days         INTEGER      NOT NULL,
  buffer_minutes       INTEGER      NOT NULL,
  opening_hours        CHARACTER LARGE OBJECT        NOT NULL,
  blackouts            CHARACTER LARGE OBJECT        NOT NULL,
  created_at           TIMESTAMP WITH TIME ZONE  NOT NULL,
  updated_at           TIMESTAMP WITH TIME ZONE  NOT NULL
);
CREATE INDEX kitchens_host_idx ON kitchens (host_id);
CREATE INDEX kitchens_status_city_idx ON kitchens (status, city);
CREATE INDEX kitchens_created_idx ON kitchens (created_at, kitchen_id);

-- One row per booking with its price as fixed at hold time and the time of every transition.
CREATE TABLE bookings (
  booking_id                  VARCHAR(51)  PRIMARY KEY,
  kitchen_id                  VARCHAR(36)  NOT NULL,
  host_id                     VARCHAR(255) NOT NULL,
  renter_id                   VARCHAR(255) NOT NULL,
  start_at                    TIMESTAMP WITH TIME ZONE  NOT NULL,
  end_at                      TIMESTAMP WITH TIME ZONE  NOT NULL,
  local_date                  DATE         NOT NULL,
  minutes                     INTEGER      NOT NULL,
  status                      VARCHAR(16)  NOT NULL,
  currency                    CHAR(3)      NOT NULL,
  subtotal_cents              BIGINT       NOT NULL,
  platform_fee_cents          BIGINT       NOT NULL,
  tax_cents                   BIGINT       NOT NULL,
  total_cents                 BIGINT       NOT NULL,
  host_payout_cents           BIGINT       NOT NULL,
  refund_cents                BIGINT       NOT NULL DEFAULT 0,
  refund_host_share_cents     BIGINT       NOT NULL DEFAULT 0,
  refund_platform_share_cents BIGINT       NOT NULL DEFAULT 0,
  refund_tax_share_cents      BIGINT       NOT NULL DEFAULT 0,
  held_at                     TIMESTAMP WITH TIME ZONE  NOT NULL,
  hold_expires_at             TIMESTAMP WITH TIME ZONE  NOT NULL,
  confirmed_at                TIMESTAMP WITH TIME ZONE,
  confirmed_by                VARCHAR(255),
  cancelled_at                TIMESTAMP WITH TIME ZONE,
  cancelled_by                VARCHAR(255),
  cancelled_by_role           VARCHAR(16),
  cancel_reason               VARCHAR(500),
  expired_at                  TIMESTAMP WITH TIME ZONE,
  completed_at                TIMESTAMP WITH TIME ZONE,
  CHECK (end_at > start_at),
  CHECK (refund_cents >= 0 AND refund_cents <= total_cents)
);
CREATE INDEX bookings_kitchen_start_idx ON bookings (kitchen_id, start_at);
CREATE INDEX bookings_renter_start_idx ON bookings (renter_id, start_at, booking_id);
CREATE INDEX bookings_host_start_idx ON bookings (host_id, start_at);
CREATE INDEX bookings_status_end_idx ON bookings (status, end_at);
CREATE INDEX bookings_start_idx ON bookings (start_at);
CREATE INDEX bookings_local_date_idx ON bookings (local_date, kitchen_id);

-- The overlap tripwire (an exclusion constraint) exists on PostgreSQL only; H2 has no equivalent.

-- Append-only audit trail: one row per journal event, in the kitchen's order.
CREATE TABLE booking_events (
  kitchen_id     VARCHAR(36)  NOT NULL,
  seq_nr         BIGINT       NOT NULL,
  journal_offset BIGINT       NOT NULL,
  event_type     VARCHAR(64)  NOT NULL,
  booking_id     VARCHAR(51),
  principal      VARCHAR(255) NOT NULL,
  principal_role VARCHAR(16)  NOT NULL,
  occurred_at    TIMESTAMP WITH TIME ZONE  NOT NULL,
  data           CHARACTER LARGE OBJECT        NOT NULL,
  PRIMARY KEY (kitchen_id, seq_nr)
);
CREATE INDEX booking_events_booking_idx ON booking_events (booking_id, seq_nr);
CREATE INDEX booking_events_occurred_idx ON booking_events (occurred_at);
CREATE INDEX booking_events_principal_idx ON booking_events (principal, occurred_at);

-- Per kitchen and local day (in the kitchen's time zone). Counts and money belong to the day a
-- booking starts; booked minutes are split over the days a booking actually spans.
CREATE TABLE kitchen_daily_stats (
  kitchen_id          VARCHAR(36)   NOT NULL,
  local_date          DATE          NOT NULL,
  host_id             VARCHAR(255)  NOT NULL,
  currency            CHAR(3)       NOT NULL,
  open_minutes        INTEGER       NOT NULL,
  booked_minutes      INTEGER       NOT NULL,
  occupancy           NUMERIC(9, 4),
  holds_placed        INTEGER       NOT NULL,
  bookings_confirmed  INTEGER       NOT NULL,
  holds_expired       INTEGER       NOT NULL,
  bookings_cancelled  INTEGER       NOT NULL,
  bookings_completed  INTEGER       NOT NULL,
  conversion          NUMERIC(9, 4),
  gross_cents         BIGINT        NOT NULL,
  refunds_cents       BIGINT        NOT NULL,
  tax_cents           BIGINT        NOT NULL,
  platform_fee_cents  BIGINT        NOT NULL,
  host_net_cents      BIGINT        NOT NULL,
  PRIMARY KEY (kitchen_id, local_date)
);
CREATE INDEX kitchen_daily_stats_date_idx ON kitchen_daily_stats (local_date);
CREATE INDEX kitchen_daily_stats_host_idx ON kitchen_daily_stats (host_id, local_date);
