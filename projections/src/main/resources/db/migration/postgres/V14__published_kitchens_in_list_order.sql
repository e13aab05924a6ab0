-- The public kitchen list (GET /v1/kitchens) asks for published kitchens, oldest first, a page at a
-- time. Published kitchens are rarely the oldest: drafts come first and many never get published.
-- PostgreSQL assumes a status is spread evenly over the ages, so with (created_at, kitchen_id) and
-- (status, created_at, kitchen_id) to choose from it walked the first and discarded every older
-- draft on every page (3,400 rows a page with the oldest third of 10,000 kitchens drafts,
-- KitchenListQueryPlanTest). An index of published kitchens alone, in list order, serves the page
-- with no row discarded and is the cheapest to walk. ReadModelQueries writes the statuses as
-- literals so that the planner can match this index's predicate.
CREATE INDEX kitchens_published_created_idx ON kitchens (created_at, kitchen_id)
  WHERE status = 'PUBLISHED';
