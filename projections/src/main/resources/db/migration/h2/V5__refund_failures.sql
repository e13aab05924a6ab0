-- A refund the gateway made and later reported failed (refund.failed, or refund.updated with
-- status failed or canceled): status FAILED, when and why. The money is back with the platform,
-- not with the renter; reconciliation lists such refunds for an operator.
ALTER TABLE refunds ADD COLUMN failed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE refunds ADD COLUMN failure_reason VARCHAR(500);
CREATE INDEX refunds_failed_idx ON refunds (failed_at);
