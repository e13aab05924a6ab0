-- The operators' payment backlog (PaymentBacklog) counts the few payments and refunds still
-- waiting or that ended badly; these partial indexes hold only those rows, so the counts stay
-- small however many payments are done.
CREATE INDEX payments_awaiting_intent_idx ON payments (requested_at) WHERE status = 'AWAITING_INTENT';
CREATE INDEX payments_confirming_idx ON payments (succeeded_at) WHERE status = 'SUCCEEDED' AND outcome = 'CONFIRMING';
CREATE INDEX refunds_unsettled_idx ON refunds (status, requested_at) WHERE status <> 'SUCCEEDED';
