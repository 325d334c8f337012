-- Favourites by product, for "back in stock" driven by the catalog's stock changes (Services/FavouriteStockWatcher.cs):
-- which changed products someone favourited, and one update of every customer's row of a product.
CREATE INDEX favourites_product_idx ON favourites (product_id);
