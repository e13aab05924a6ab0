-- The projections find the events of their tag through this index (see the PostgreSQL migration).
CREATE INDEX event_tag_tag_event_idx ON event_tag (tag, event_id);
