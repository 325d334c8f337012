-- English stemming without PostgreSQL's English stop-word list: it drops words that matter in a sports shop
-- ("down" as in down jacket, "off", "over", "up"). The catalog's own, shorter stop-word list is applied to the
-- query in CatalogApi (Services/SearchText.cs); documents keep every word.
-- fuzzystrmatch: Levenshtein distance, which catches swapped letters ("jakcet") that trigrams alone miss.

CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TEXT SEARCH DICTIONARY catalog_english_stem (TEMPLATE = snowball, LANGUAGE = english);

CREATE TEXT SEARCH CONFIGURATION catalog_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION catalog_english
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH catalog_english_stem;

CREATE OR REPLACE FUNCTION catalog_refresh_search(product_ids integer[]) RETURNS integer
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
                    setweight(to_tsvector('catalog_english', catalog_unaccent(p.name)), 'A') ||
                    setweight(to_tsvector('catalog_english', catalog_unaccent(doc.labels)), 'B') ||
                    setweight(to_tsvector('catalog_english', catalog_unaccent(p.description)), 'C') ||
                    setweight(to_tsvector('catalog_english', catalog_unaccent(doc.option_values)), 'D'),
                search_document = lower(catalog_unaccent(
                    p.name || ' ' || doc.labels || ' ' || p.description || ' ' || doc.option_values))
            FROM doc
            WHERE doc.id = p.id
            RETURNING 1
        )
        SELECT count(*)::integer FROM updated
    $$;

SELECT catalog_refresh_search(NULL);

DROP MATERIALIZED VIEW search_terms;
CREATE MATERIALIZED VIEW search_terms AS
    SELECT word, ndoc AS products, (ts_lexize('catalog_english_stem', word))[1] AS lexeme
    FROM ts_stat($$SELECT to_tsvector('simple', search_document) FROM products WHERE archived_at IS NULL$$)
    WHERE length(word) BETWEEN 3 AND 40 AND word ~ '^[[:alpha:]]+$';

CREATE UNIQUE INDEX search_terms_word_idx ON search_terms (word);
CREATE INDEX search_terms_lexeme_idx ON search_terms (lexeme);
CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (word gin_trgm_ops);
