-- Full-text search (English stemming, weighted: name > brand, category and tags > description > option values)
-- and typo tolerance: every word of the catalog is kept in search_terms with a trigram index, so a query word
-- that matches nothing is replaced by the closest catalog word before the full-text match.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); the catalog's text is indexed once, so an
-- IMMUTABLE wrapper with the dictionary named explicitly is what indexes and stored columns need.
CREATE FUNCTION catalog_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, $1);

-- "Clothing Jackets Rain Jackets": a category's name after the names of its ancestors.
CREATE FUNCTION catalog_category_path(category integer) RETURNS text
    LANGUAGE sql STABLE
    AS $$
        WITH RECURSIVE up AS (
            SELECT id, parent_id, name, 0 AS depth FROM categories WHERE id = category
            UNION ALL
            SELECT c.id, c.parent_id, c.name, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id
        )
        SELECT string_agg(name, ' ' ORDER BY depth DESC) FROM up
    $$;

ALTER TABLE products
    ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN search_document text NOT NULL DEFAULT '';

CREATE INDEX products_search_idx ON products USING gin (search_vector);

-- Recomputes the search columns of the given products (all when NULL). Called after every write that
-- changes a product's text, brand, category or option values.
CREATE FUNCTION catalog_refresh_search(product_ids integer[]) RETURNS integer
    LANGUAGE sql
    AS $$
        WITH doc AS (
            SELECT p.id,
                   b.name || ' ' || catalog_category_path(p.category_id) || ' ' || array_to_string(p.tags, ' ') AS labels,
                   coalesce((SELECT string_agg(DISTINCT e.value, ' ')
                             FROM variants v, jsonb_each_text(v.options) e
                             WHERE v.product_id = p.id), '') AS option_values
            FROM products p
            JOIN brands b ON b.id = p.brand_id
            WHERE product_ids IS NULL OR p.id = ANY (product_ids)
        ),
        updated AS (
            UPDATE products p
            SET search_vector =
                    setweight(to_tsvector('english', catalog_unaccent(p.name)), 'A') ||
                    setweight(to_tsvector('english', catalog_unaccent(doc.labels)), 'B') ||
                    setweight(to_tsvector('english', catalog_unaccent(p.description)), 'C') ||
                    setweight(to_tsvector('english', catalog_unaccent(doc.option_values)), 'D'),
                search_document = lower(catalog_unaccent(
                    p.name || ' ' || doc.labels || ' ' || p.description || ' ' || doc.option_values))
            FROM doc
            WHERE doc.id = p.id
            RETURNING 1
        )
        SELECT count(*)::integer FROM updated
    $$;

-- The catalog's vocabulary: each word as written (lower case, no accents), its English stem, and in how many
-- products it occurs. Refreshed (concurrently) after product writes.
CREATE MATERIALIZED VIEW search_terms AS
    SELECT word, ndoc AS products, (ts_lexize('english_stem', word))[1] AS lexeme
    FROM ts_stat($$SELECT to_tsvector('simple', search_document) FROM products WHERE archived_at IS NULL$$)
    WHERE length(word) BETWEEN 3 AND 40 AND word ~ '^[[:alpha:]]+$';

CREATE UNIQUE INDEX search_terms_word_idx ON search_terms (word);
CREATE INDEX search_terms_lexeme_idx ON search_terms (lexeme);
CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (word gin_trgm_ops);
