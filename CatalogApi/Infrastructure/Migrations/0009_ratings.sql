-- Each product's rating summary, as OrderingApi (which keeps the reviews) last sent it: the average of the visible
-- reviews' stars and how many there are. rating_as_of is OrderingApi's clock when it read them: an older summary that
-- arrives late (a full rebuild racing a single review) never replaces a newer one.
ALTER TABLE products
    ADD COLUMN rating_average numeric(3, 2) CHECK (rating_average BETWEEN 1 AND 5),
    ADD COLUMN rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    ADD COLUMN rating_as_of timestamptz;
