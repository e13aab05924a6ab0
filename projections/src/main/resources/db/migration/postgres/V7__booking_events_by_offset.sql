-- The kitchens' projection finds the events of a group it has applied already (a redelivery) by
-- their journal offsets: one range read per group, whatever the size of the audit trail.
CREATE INDEX booking_events_offset_idx ON booking_events (journal_offset);
