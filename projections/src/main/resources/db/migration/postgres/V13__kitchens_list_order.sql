-- The kitchen lists (GET /v1/kitchens, and the admins' by status) ask for kitchens of some
-- statuses, oldest first, a page at a time. With only (status, city) and (created_at, kitchen_id)
-- to choose from, PostgreSQL's plan depends on its statistics: taken while kitchens were still
-- drafts, it estimates few published ones, finds them all by status and sorts them, reading every
-- kitchen for a page of 20 (seen in the benchmark's journey over 10,000 kitchens,
-- docs/performance.md). This index gives the pages in order for any one status, whatever the
-- statistics say.
CREATE INDEX kitchens_status_created_idx ON kitchens (status, created_at, kitchen_id);
