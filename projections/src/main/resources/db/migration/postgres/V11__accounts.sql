-- Built-in accounts of the embedded default (docs/security.md, "Identity"). Not read models: a
-- rebuild of the read tables leaves them alone, and they are the only copy.

-- One row per account. email is as the person typed it (trimmed); email_key is its lower-case
-- form, unique, so that two spellings of one address cannot make two accounts. password_hash is
-- an Argon2id hash in its standard text form (algorithm, parameters, salt and hash).
CREATE TABLE accounts (
  account_id    VARCHAR(64)  PRIMARY KEY,
  email         VARCHAR(254) NOT NULL,
  email_key     VARCHAR(254) NOT NULL,
  name          VARCHAR(200) NOT NULL,
  role          VARCHAR(16)  NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  CONSTRAINT accounts_email_key UNIQUE (email_key)
);

-- Refresh tokens, kept only as the SHA-256 of their text. Each sign-in starts a family; each
-- refresh marks its token rotated and adds the next one to the family. A rotated token presented
-- again means it was copied: the whole family is revoked.
CREATE TABLE refresh_tokens (
  token_hash CHAR(64)    PRIMARY KEY,
  family_id  VARCHAR(64) NOT NULL,
  account_id VARCHAR(64) NOT NULL REFERENCES accounts (account_id),
  issued_at  TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  rotated_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_account_expiry ON refresh_tokens (account_id, expires_at);
