-- Each kitchen's compliance standing and lapse, as its events tell them (docs/compliance.md,
-- "Publishing, lapse and suspension"): whether rules apply, until when its required documents are
-- valid (null: nothing expires), and, while it is suspended, from when and why. The lapse listings
-- (GET /v1/kitchens/{id}/lapse-bookings, GET /v1/admin/compliance/lapses) and the host's notices
-- (GET /v1/hosts/me/compliance-notices) read them. Kitchens published before this migration get
-- them from their next compliance event, or at once from a read-model rebuild.
ALTER TABLE kitchens ADD COLUMN compliance_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE kitchens ADD COLUMN compliance_valid_until TIMESTAMPTZ;
ALTER TABLE kitchens ADD COLUMN lapsed_at TIMESTAMPTZ;
ALTER TABLE kitchens ADD COLUMN suspension_reason VARCHAR(500);
CREATE INDEX kitchens_lapse_idx ON kitchens (status, compliance_valid_until);
