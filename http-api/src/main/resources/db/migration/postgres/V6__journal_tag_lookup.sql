-- The projections read the journal by tag with the plugin's query
--   ... FROM event_journal j, event_tag t WHERE t.tag = ? AND j.ordering > ? AND j.ordering <= ?
--       AND j.ordering = t.event_id ORDER BY j.ordering LIMIT ?
-- Its cost must not grow with the journal. The only plan with that property walks the journal's
-- ordering index over the asked range and probes event_tag by event_id for each row. With a
-- btree on (event_id, tag), PostgreSQL may instead walk that index for the tag from its very
-- first event (a full index scan "ordered" by event_id), which reads the whole history before the
-- offset. A hash index serves the probe and the foreign key's cascade, but offers no ordered path,
-- so that plan cannot be chosen. The read journal's connections also turn off hash and merge
-- joins (see com.hearth.http.Database), which would scan the tag's history in full.
ALTER TABLE event_tag DROP CONSTRAINT event_tag_pkey;
CREATE INDEX event_tag_event_id_idx ON event_tag USING hash (event_id);
