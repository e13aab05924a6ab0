-- PostgreSQL gets a partial index of published kitchens in list order here. H2 has no partial
-- indexes; the embedded database serves the list from V13's (status, created_at, kitchen_id).
SELECT 1;
