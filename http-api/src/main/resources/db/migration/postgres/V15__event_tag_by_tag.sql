-- The projections find the events of their tag through this index (com.hearth.projections.
-- TagIndexedReadJournalDao): a poll reads its own tag's events after its offset, in order, and
-- nothing of the other tags. Before it, every tag stream walked the journal's ordering over the
-- range and probed event_tag (by the hash index of V6) once per event of any tag.
-- Built concurrently, so that a deployment with a long journal keeps writing while it builds
-- (Flyway runs this script outside a transaction). If the build fails it leaves an invalid index
-- behind; drop it and start the node again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS event_tag_tag_event_idx ON event_tag (tag, event_id);
