using System.Text.Json;
using CatalogApi.Infrastructure;
using CatalogApi.Model;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CatalogApi.Services;

/// <summary>
/// <c>GET /api/catalog/products</c>: full-text search with typo correction, filters, sort, paging and facet counts,
/// answered by one SQL statement that returns the whole page as JSON.
/// <list type="bullet">
/// <item>Text: each query word that is not in the catalog's vocabulary (by English stem, or as a prefix for the last
/// word) is replaced by the closest catalog word by trigram similarity (pg_trgm); the words are then ANDed into a
/// tsquery (English stemming without PostgreSQL's stop words, so "down jacket" keeps "down"; the last word as a prefix) matched against the weighted <c>search_vector</c>.
/// Query words are runs of letters and digits only, so nothing the user types can act as tsquery or SQL syntax.</item>
/// <item>Filters: category (with its sub-categories), brand, and per variant price range, option values and in stock;
/// the variant filters apply together to the same variant ("a red M in stock under 100").</item>
/// <item>Facets: brand and option facets are counted with every filter except their own (picking a brand still shows
/// the other brands' counts); the category facet counts the hits per category (the leaves under a chosen category), so
/// its counts always add up to the total, and the brand counts do when no brand is chosen. Option counts are products
/// having a matching variant with that value. Option values come in their natural order (XS before S, 38 before 40).</item>
/// </list>
/// </summary>
public sealed class ProductSearchService(NpgsqlDataSource dataSource, CatalogCache cache, IOptions<CatalogOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ProductPage> SearchAsync(ProductSearch search, CancellationToken cancellationToken) =>
        search.MatchesNothing
            ? Task.FromResult(Empty(search))
            : cache.GetListAsync("products?" + search.CacheKey, ct => RunAsync(search, ct), cancellationToken)!;

    private async Task<ProductPage?> RunAsync(ProductSearch search, CancellationToken cancellationToken)
    {
        using var activity = CatalogTelemetry.Source.StartActivity("catalog search");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        string? tsQuery = null;
        string? corrected = null;
        if (search.Words.Count > 0)
        {
            // Corrections depend only on the words and the vocabulary (which changes with product writes, as lists do).
            var words = (await cache.GetListAsync("correct:" + string.Join(' ', search.Words),
                async ct => new Correction([.. await CorrectAsync(connection, search.Words, ct)]), cancellationToken))!.Words;
            tsQuery = SearchText.ToTsQuery(words);
            if (!words.SequenceEqual(search.Words))
            {
                corrected = string.Join(' ', words);
            }
            activity?.SetTag("catalog.search.corrected", corrected is not null);
        }

        await using var command = new NpgsqlCommand(ListingSql.Replace("/*ORDER*/", OrderBy(search.Sort), StringComparison.Ordinal), connection);
        command.Parameters.Add(new NpgsqlParameter("tsquery", NpgsqlDbType.Text) { Value = (object?)tsQuery ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("categories", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = search.Categories.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("brands", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = search.Brands.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("min_price", NpgsqlDbType.Numeric) { Value = (object?)search.MinPrice ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("max_price", NpgsqlDbType.Numeric) { Value = (object?)search.MaxPrice ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("in_stock", NpgsqlDbType.Boolean) { Value = search.InStock });
        var pairs = search.Options.SelectMany(o => o.Values.Select(v => (o.Name, Value: v))).ToList();
        command.Parameters.Add(new NpgsqlParameter("option_names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = pairs.Select(p => p.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("option_values", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = pairs.Select(p => p.Value).ToArray() });
        var colours = search.Options.FirstOrDefault(o => o.Name == "colour")?.Values.Select(Slug.From).ToArray() ?? [];
        command.Parameters.Add(new NpgsqlParameter("image_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = colours });
        command.Parameters.Add(new NpgsqlParameter("image_base", NpgsqlDbType.Text) { Value = options.Value.ImageBaseUrl.TrimEnd('/') + "/api/catalog/products/" });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = search.PageSize });
        command.Parameters.Add(new NpgsqlParameter("offset", NpgsqlDbType.Integer) { Value = (search.Page - 1) * search.PageSize });

        var json = (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "{}";
        var result = JsonSerializer.Deserialize<ListingResult>(json, Json) ?? new ListingResult();
        activity?.SetTag("catalog.search.total", result.Total);
        return new ProductPage(
            result.Items ?? [],
            result.Total,
            search.Page,
            search.PageSize,
            new ProductFacets(
                result.Categories ?? [],
                result.Brands ?? [],
                (result.Options ?? []).ToDictionary(o => o.Key, o => (IReadOnlyList<FacetValue>)[.. o.Value.OrderBy(v => v.Value, OptionValueOrder.Instance)])),
            corrected);
    }

    /// <summary>
    /// Replaces each word the catalog does not know by its closest catalog word (when one is similar enough).
    /// Short words, words with digits and stop words are kept as they are.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CorrectAsync(NpgsqlConnection connection, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CorrectionSql, connection);
        command.Parameters.Add(new NpgsqlParameter("words", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = words.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("last", NpgsqlDbType.Integer) { Value = words.Count });
        var result = words.ToArray();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = (int)reader.GetInt64(0) - 1;
            var known = reader.GetBoolean(1);
            var suggestion = reader.IsDBNull(2) ? null : reader.GetString(2);
            if (!known && suggestion is not null && SearchText.MayCorrect(words[index]))
            {
                result[index] = suggestion;
            }
        }
        return result;
    }

    private static string OrderBy(ProductSort sort) => sort switch
    {
        ProductSort.PriceAsc => "h.price_from ASC, h.id",
        ProductSort.PriceDesc => "h.price_from DESC, h.id",
        ProductSort.Newest => "h.created_at DESC, h.id DESC",
        ProductSort.BestSelling => "h.units_sold DESC, h.id",
        ProductSort.Name => "h.name, h.id",
        _ => "h.rank DESC, h.units_sold DESC, h.id",
    };

    private static ProductPage Empty(ProductSearch search) =>
        new([], 0, search.Page, search.PageSize, new ProductFacets([], [], new Dictionary<string, IReadOnlyList<FacetValue>>()), null);

    private sealed record Correction(List<string> Words);

    private sealed record ListingResult(
        int Total = 0,
        List<ProductSummary>? Items = null,
        List<FacetValue>? Categories = null,
        List<FacetValue>? Brands = null,
        Dictionary<string, IReadOnlyList<FacetValue>>? Options = null);

    // known: the word's English stem is a catalog stem (or, for the last word, it starts a catalog word: typing in progress).
    // suggestion: the closest catalog word: by edit distance (a swapped pair of letters is 2), then trigram similarity,
    // then the more common; candidates are words similar by trigrams (pg_trgm's threshold) or within 1-2 edits.
    private const string CorrectionSql = """
        SELECT w.ord,
               s.stem IS NULL
                 OR EXISTS (SELECT 1 FROM search_terms t WHERE t.lexeme = s.stem)
                 OR (w.ord = @last AND EXISTS (SELECT 1 FROM search_terms t WHERE t.word LIKE w.word || '%')) AS known,
               CASE WHEN s.stem IS NULL OR EXISTS (SELECT 1 FROM search_terms t WHERE t.lexeme = s.stem) THEN NULL
                    ELSE (SELECT t.word FROM search_terms t
                          WHERE t.word % w.word
                             OR levenshtein(t.word, w.word) <= CASE WHEN length(w.word) <= 5 THEN 1 ELSE 2 END
                          ORDER BY levenshtein(t.word, w.word), similarity(t.word, w.word) DESC, t.products DESC, t.word
                          LIMIT 1) END AS suggestion
        FROM unnest(@words::text[]) WITH ORDINALITY AS w(word, ord)
        CROSS JOIN LATERAL (SELECT (ts_lexize('catalog_english_stem', catalog_unaccent(w.word)))[1] AS stem) s
        """;

    private const string ListingSql = """
        WITH RECURSIVE
        search AS MATERIALIZED (
            SELECT CASE WHEN @tsquery::text IS NULL THEN NULL
                        ELSE to_tsquery('catalog_english', catalog_unaccent(@tsquery::text)) END AS query
        ),
        selected_categories AS (
            SELECT c.id FROM categories c WHERE c.slug = ANY (@categories)
            UNION
            SELECT c.id FROM categories c JOIN selected_categories s ON c.parent_id = s.id
        ),
        option_filters AS (
            SELECT f.name, array_agg(f.value) AS vals
            FROM unnest(@option_names::text[], @option_values::text[]) AS f(name, value)
            GROUP BY f.name
        ),
        candidates AS (
            SELECT p.id, p.slug, p.name, p.brand_id, p.category_id, p.created_at, p.images,
                   -- Relevance: every word in the name first, then cover density (words close together, in heavier fields).
                   CASE WHEN s.query IS NULL THEN 0
                        ELSE (ts_filter(p.search_vector, '{a}') @@ s.query)::integer + ts_rank_cd(p.search_vector, s.query) END AS rank,
                   (cardinality(@categories::text[]) = 0 OR p.category_id IN (SELECT id FROM selected_categories)) AS in_category,
                   (cardinality(@brands::text[]) = 0 OR b.slug = ANY (@brands)) AS in_brand
            FROM products p
            JOIN brands b ON b.id = p.brand_id
            CROSS JOIN search s
            WHERE p.archived_at IS NULL
              AND (s.query IS NULL OR p.search_vector @@ s.query)
        ),
        variant_matches AS (
            SELECT v.product_id, v.price, v.options, v.units_sold,
                   v.on_hand - v.reserved > 0 AS in_stock,
                   (@min_price::numeric IS NULL OR v.price >= @min_price::numeric)
                     AND (@max_price::numeric IS NULL OR v.price <= @max_price::numeric)
                     AND (NOT @in_stock::boolean OR v.on_hand - v.reserved > 0) AS fits,
                   missed.n AS missed_options,
                   missed.name AS missed_option
            FROM variants v
            JOIN candidates c ON c.id = v.product_id
            CROSS JOIN LATERAL (
                SELECT count(*)::integer AS n, min(f.name) AS name
                FROM option_filters f
                WHERE NOT EXISTS (SELECT 1 FROM jsonb_each_text(v.options) e
                                  WHERE lower(e.key) = f.name AND lower(e.value) = ANY (f.vals))
            ) missed
        ),
        per_product AS (
            SELECT product_id,
                   bool_or(fits AND missed_options = 0) AS matches,
                   min(price) FILTER (WHERE fits AND missed_options = 0) AS price_from,
                   max(price) FILTER (WHERE fits AND missed_options = 0) AS price_to,
                   coalesce(bool_or(in_stock) FILTER (WHERE fits AND missed_options = 0), false) AS in_stock,
                   sum(units_sold)::integer AS units_sold
            FROM variant_matches
            GROUP BY product_id
        ),
        results AS (
            SELECT c.*, pp.matches, pp.price_from, pp.price_to, pp.in_stock, pp.units_sold
            FROM candidates c JOIN per_product pp ON pp.product_id = c.id
        ),
        hits AS (
            SELECT * FROM results WHERE matches AND in_category AND in_brand
        ),
        page AS (
            SELECT h.*, row_number() OVER (ORDER BY /*ORDER*/) AS position
            FROM hits h
            ORDER BY position
            LIMIT @limit OFFSET @offset
        ),
        option_counts AS (
            SELECT e.key, e.value, count(DISTINCT vm.product_id)::integer AS n
            FROM variant_matches vm
            JOIN results r ON r.id = vm.product_id AND r.in_category AND r.in_brand
            CROSS JOIN LATERAL jsonb_each_text(vm.options) e
            WHERE vm.fits AND (vm.missed_options = 0 OR (vm.missed_options = 1 AND vm.missed_option = lower(e.key)))
            GROUP BY e.key, e.value
        )
        SELECT json_build_object(
            'total', (SELECT count(*) FROM hits),
            'items', coalesce((
                SELECT json_agg(json_build_object(
                           'id', pg.id, 'slug', pg.slug, 'name', pg.name,
                           'brand', b.name, 'brandSlug', b.slug,
                           'category', c.name, 'categorySlug', c.slug,
                           'priceFrom', pg.price_from, 'priceTo', pg.price_to, 'inStock', pg.in_stock,
                           'imageUrl', @image_base::text || pg.id || '/images/'
                               || coalesce((SELECT k FROM unnest(pg.images) k WHERE k = ANY (@image_keys) LIMIT 1), pg.images[1], 'default')
                               || '.svg')
                       ORDER BY pg.position)
                FROM page pg JOIN brands b ON b.id = pg.brand_id JOIN categories c ON c.id = pg.category_id), '[]'::json),
            'categories', coalesce((
                SELECT json_agg(json_build_object('value', c.slug, 'label', c.name, 'count', x.n) ORDER BY x.n DESC, c.name)
                FROM (SELECT category_id, count(*)::integer AS n FROM hits GROUP BY category_id) x
                JOIN categories c ON c.id = x.category_id), '[]'::json),
            'brands', coalesce((
                SELECT json_agg(json_build_object('value', b.slug, 'label', b.name, 'count', x.n) ORDER BY x.n DESC, b.name)
                FROM (SELECT brand_id, count(*)::integer AS n FROM results WHERE matches AND in_category GROUP BY brand_id) x
                JOIN brands b ON b.id = x.brand_id), '[]'::json),
            'options', coalesce((
                SELECT json_object_agg(o.key, o.vals ORDER BY o.key)
                FROM (SELECT key, json_agg(json_build_object('value', value, 'count', n)) AS vals
                      FROM option_counts GROUP BY key) o), '{}'::json)
        )::text
        """;
}
