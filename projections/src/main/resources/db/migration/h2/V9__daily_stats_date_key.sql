-- The date index of kitchen_daily_stats also carries the kitchen: a lookup of one kitchen's day
-- then reads that one row through either index. With the date alone, a plan that picked it (made
-- while the table's statistics were those of a few kitchens) read every kitchen's row of that day
-- to find one: about 800 rows per lookup over 1,000 kitchens (docs/performance.md, "Database side").
-- Platform totals over a date range use it as before.
DROP INDEX kitchen_daily_stats_date_idx;
CREATE INDEX kitchen_daily_stats_date_idx ON kitchen_daily_stats (local_date, kitchen_id);
