-- The operators' payment backlog (PaymentBacklog); H2 has no partial indexes, so these index
-- every row by status (the embedded database is for one small node).
CREATE INDEX payments_status_idx ON payments (status, outcome);
CREATE INDEX refunds_status_idx ON refunds (status);
