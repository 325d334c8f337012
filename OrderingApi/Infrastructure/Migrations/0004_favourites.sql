-- A customer's favourite products (the storefront's heart), read and written with plain Npgsql
-- (Services/FavouritesStore.cs). What the catalog says of a product is asked of catalog-api when the list is read;
-- here is only what the catalog cannot know: when it was favourited, and its stock as this customer saw it, for
-- "back in stock".
CREATE TABLE favourites (
    customer_id text NOT NULL,
    product_id integer NOT NULL CHECK (product_id > 0),
    added_at timestamptz NOT NULL,
    -- When the product was last seen sold out (at favouriting or on a later look at the list); null: not since it was
    -- last seen back in stock long enough ago.
    sold_out_seen_at timestamptz,
    -- When it was first seen available again after sold_out_seen_at: "back in stock" is shown for a while from then.
    back_in_stock_at timestamptz,
    PRIMARY KEY (customer_id, product_id)
);
-- The list, newest first.
CREATE INDEX favourites_customer_added_idx ON favourites (customer_id, added_at DESC, product_id);
