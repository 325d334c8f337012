-- A forecast that is the same every day (a variant with no sale in the history: zero, with the rule-of-three upper
-- bounds; a new variant at its product's level) is stored once in its forecast_variants row, not as a forecast_points
-- row per day: at 100,000 products almost every variant is one, 90 rows each. Readers expand it to the run's days.
-- Null for a forecast stored day by day in forecast_points.
ALTER TABLE forecast_variants
    ADD COLUMN flat_mean real,
    ADD COLUMN flat_lower80 real,
    ADD COLUMN flat_upper80 real,
    ADD COLUMN flat_lower95 real,
    ADD COLUMN flat_upper95 real;
