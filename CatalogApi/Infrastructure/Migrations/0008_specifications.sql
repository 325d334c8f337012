-- Product specifications: a spec sheet per product, typed per category.
-- spec_definitions says what a category's sheet holds (numbers with a unit and a range, or fixed choices); a
-- definition on a category applies to every category under it (jackets: rain, insulated and softshell jackets).
-- Its rows are data, written at start-up from Infrastructure/Seed/spec-definitions.json (CatalogDatabaseInitializer),
-- keyed by category slug so they hold for any catalog whose categories are named that way.
CREATE TABLE spec_definitions (
    category_slug text NOT NULL,
    key text NOT NULL CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    label text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('number', 'choice')),
    unit text,
    choices text[],
    min numeric,
    max numeric,
    decimals integer NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 3),
    -- The natural order of a "sort by this" (asc: lightest first; desc: largest volume first), with its label.
    sort text CHECK (sort IN ('asc', 'desc')),
    sort_label text,
    position integer NOT NULL,
    PRIMARY KEY (category_slug, key),
    CHECK ((kind = 'choice') = (choices IS NOT NULL))
);

-- A product's values: {"capacity": 3, "weight": 2150, "seasons": "3-season"} (numbers as JSON numbers, choices as
-- the choice's text); keys and values are checked against the category's definitions by the admin endpoint.
ALTER TABLE products ADD COLUMN specs jsonb NOT NULL DEFAULT '{}';
