-- Search, listings and facets are answered by CatalogApi's in-process index (Services/Search), which stems and
-- corrects words itself: the full-text columns, the vocabulary view and the functions that kept them are gone
-- (at 100,000 products, refreshing the vocabulary after each admin write took seconds).
DROP MATERIALIZED VIEW IF EXISTS search_terms;
DROP FUNCTION IF EXISTS catalog_refresh_search(integer[]);
DROP FUNCTION IF EXISTS catalog_category_path(integer);
ALTER TABLE products DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS search_document;
DROP TEXT SEARCH CONFIGURATION IF EXISTS catalog_english;
DROP TEXT SEARCH DICTIONARY IF EXISTS catalog_english_stem;
