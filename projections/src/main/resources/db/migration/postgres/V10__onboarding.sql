-- Host onboarding and compliance (docs/compliance.md).

-- Read tables of the onboarding projection (tag "onboarding"): derived, emptied and rebuilt with
-- the other read models.

-- Each host's profile as it stands now.
CREATE TABLE host_profiles (
  host_id       VARCHAR(255) PRIMARY KEY,
  legal_name    VARCHAR(200) NOT NULL,
  business_name VARCHAR(200) NOT NULL,
  contact_name  VARCHAR(200),
  contact_email VARCHAR(320) NOT NULL,
  contact_phone VARCHAR(40),
  address       VARCHAR(300) NOT NULL,
  city          VARCHAR(100),
  region        VARCHAR(100),
  postal_code   VARCHAR(20),
  country       CHAR(2)      NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL
);

-- Every document uploaded for a kitchen, withdrawn ones included, with what was read from it
-- (fields_json: {"EXPIRY_DATE": {"value": "2027-05-31", "confidence": 0.93}, ...}) and its review.
CREATE TABLE kitchen_documents (
  document_id       VARCHAR(60)  PRIMARY KEY,
  kitchen_id        VARCHAR(36)  NOT NULL,
  host_id           VARCHAR(255) NOT NULL,
  document_type     VARCHAR(40)  NOT NULL,
  media_type        VARCHAR(40)  NOT NULL,
  content_hash      CHAR(64)     NOT NULL,
  size_bytes        BIGINT       NOT NULL,
  pages             INTEGER      NOT NULL,
  status            VARCHAR(16)  NOT NULL,
  fields_json       TEXT,
  min_confidence    DOUBLE PRECISION,
  text_confidence   DOUBLE PRECISION,
  expiry_date       DATE,
  unreadable_reason VARCHAR(500),
  attempts          INTEGER      NOT NULL,
  reviewed_by       VARCHAR(255),
  review_reason     VARCHAR(500),
  uploaded_at       TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX kitchen_documents_by_kitchen ON kitchen_documents (kitchen_id, uploaded_at);
CREATE INDEX kitchen_documents_by_status ON kitchen_documents (status, updated_at);

-- Not read tables (a rebuild leaves them alone):

-- The uploaded files, once per SHA-256 of their bytes, whichever kitchens filed them.
CREATE TABLE document_contents (
  content_hash CHAR(64)    PRIMARY KEY,
  media_type   VARCHAR(40) NOT NULL,
  size_bytes   BIGINT      NOT NULL,
  content      BYTEA       NOT NULL,
  stored_at    TIMESTAMPTZ NOT NULL
);

-- The OCR workers' queue: one row per uploaded document, inserted by the onboarding projection.
-- state: PENDING (to read; claimed_by and lease_until set while a worker reads it), READ or
-- UNREADABLE (outcome_json waits to be delivered to the kitchen's compliance entity), DELIVERED,
-- or WITHDRAWN. Workers claim rows with SELECT ... FOR UPDATE SKIP LOCKED.
CREATE TABLE document_jobs (
  document_id     VARCHAR(60)  PRIMARY KEY,
  kitchen_id      VARCHAR(36)  NOT NULL,
  content_hash    CHAR(64)     NOT NULL,
  media_type      VARCHAR(40)  NOT NULL,
  state           VARCHAR(16)  NOT NULL,
  attempts        INTEGER      NOT NULL,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  claimed_by      VARCHAR(100),
  lease_until     TIMESTAMPTZ,
  last_error      VARCHAR(500),
  outcome_json    TEXT,
  finished_at     TIMESTAMPTZ,
  delivered_at    TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX document_jobs_due ON document_jobs (state, next_attempt_at);
