-- The host's contact claims (name, email) from the token that created a kitchen, for payouts.
ALTER TABLE kitchens ADD COLUMN host_name VARCHAR(200);
ALTER TABLE kitchens ADD COLUMN host_email VARCHAR(320);

-- Payout lines keep the contact they were made with, so that a batch reads the same forever.
ALTER TABLE payout_lines ADD COLUMN host_name VARCHAR(200);
ALTER TABLE payout_lines ADD COLUMN host_email VARCHAR(320);
