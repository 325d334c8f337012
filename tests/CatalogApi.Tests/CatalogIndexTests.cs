using CatalogApi.Infrastructure.Seed;
using CatalogApi.Model;
using CatalogApi.Services;
using CatalogApi.Services.Search;

namespace CatalogApi.Tests;

/// <summary>
/// The in-process search index over a generated catalog of 3,000 products (no database: the seed's rows are what
/// catalogdb would give it), checked against plain LINQ over the same rows.
/// </summary>
public sealed class CatalogIndexTests
{
    private static readonly SeedCatalog Seed = SeedCatalogGenerator.Generate(3000);
    private static readonly DateTime Now = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    private static CatalogIndex.Loaded Load(SeedCatalog catalog, IEnumerable<SeedProduct> products) => new(
        [.. catalog.Brands.Select(b => new IndexedBrand(b.Id, b.Slug, b.Name))],
        [.. catalog.Categories.Select(c => (c.Id, c.ParentId, c.Slug, c.Name))],
        [.. products.Select(p => new CatalogIndex.LoadedProduct(p.Id, p.Slug, p.Name, p.Description, p.BrandId, p.CategoryId, p.Tags, p.Images, Now.AddDays(-p.AgeDays).AddHours(-(p.Id % 24)), RatingOf(p.Id)))],
        products.ToDictionary(p => p.Id, p => p.Variants.Select(v => new CatalogIndex.LoadedVariant(p.Id, v.Price, v.OnHand, v.UnitsSold, [.. v.Options])).ToList()),
        products.Sum(p => p.Variants.Count));

    /// <summary>A made-up rating per product: none for every fifth, else an average from 1.00 to 5.00 over 1-13 reviews.</summary>
    private static RatingSummary RatingOf(int id) => id % 5 == 0 ? RatingSummary.None : new(1 + id * 37 % 401 / 100m, id % 13 + 1);

    private static readonly CatalogIndexState State = CatalogIndex.Build(Load(Seed, Seed.Products));

    private static ProductSearch Parse(ProductListQuery query)
    {
        Assert.True(ProductSearchParser.TryParse(query, out var search, out var errors), string.Join(", ", errors.Keys));
        return search;
    }

    private static ProductPage Run(CatalogIndexState state, ProductSearch search)
    {
        var words = IndexQuery.Correct(state, search.Words);
        return IndexQuery.Run(state, search, words, "/api/catalog/products/") with
        {
            CorrectedQuery = words.SequenceEqual(search.Words) ? null : string.Join(' ', words),
        };
    }

    private static ProductPage Run(ProductListQuery query) => Run(State, Parse(query));

    private static HashSet<int> Subtree(string slug)
    {
        var ids = new HashSet<int> { Seed.Categories.Single(c => c.Slug == slug).Id };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var c in Seed.Categories.Where(c => c.ParentId is { } p && ids.Contains(p)))
            {
                grew |= ids.Add(c.Id);
            }
        }
        return ids;
    }

    public static TheoryData<string, string?, string?, string?, string?, bool> Filters => new()
    {
        // category, brand, colour, size, max price, in stock
        { "clothing", null, "red,blue", "m", "150", true },
        { "camping-hiking", "northridge,summit-peak", null, null, null, false },
        { "footwear", null, "black", "42,43", "200", true },
        { "jackets", "alpenglow", "navy", "l", null, false },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Totals_and_every_facet_count_are_exact(string category, string? brand, string? colour, string? size, string? maxPrice, bool inStock)
    {
        var page = Run(new ProductListQuery(Category: [category], Brand: brand is null ? null : [brand], Colour: colour is null ? null : [colour],
            Size: size is null ? null : [size], MaxPrice: maxPrice, InStock: inStock ? "true" : null, PageSize: "100"));

        var categories = Subtree(category);
        var brands = brand?.Split(',').Select(slug => Seed.Brands.Single(b => b.Slug == slug).Id).ToHashSet();
        var filters = new Dictionary<string, string[]>();
        if (colour is not null) filters["colour"] = colour.Split(',');
        if (size is not null) filters["size"] = size.Split(',');
        var max = maxPrice is null ? decimal.MaxValue : decimal.Parse(maxPrice, System.Globalization.CultureInfo.InvariantCulture);
        bool Fits(SeedVariant v) => v.Price <= max && (!inStock || v.OnHand > 0);
        bool Has(SeedVariant v, string name) => v.Options.Any(o => o.Key.Equals(name, StringComparison.OrdinalIgnoreCase)
            && filters[name].Contains(o.Value, StringComparer.OrdinalIgnoreCase));
        bool Matches(SeedProduct p, string? except = null) =>
            p.Variants.Any(v => Fits(v) && filters.Keys.Where(f => f != except).All(f => Has(v, f)));

        var inCategory = Seed.Products.Where(p => categories.Contains(p.CategoryId)).ToList();
        var hits = inCategory.Where(p => (brands is null || brands.Contains(p.BrandId)) && Matches(p)).ToList();
        Assert.True(hits.Count > 0);
        Assert.Equal(hits.Count, page.Total);

        var categoryFacet = hits.GroupBy(p => Seed.Categories.Single(c => c.Id == p.CategoryId).Slug).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(categoryFacet.OrderBy(x => x.Key), page.Facets.Categories.ToDictionary(f => f.Value, f => f.Count).OrderBy(x => x.Key));

        var brandFacet = inCategory.Where(p => Matches(p)).GroupBy(p => Seed.Brands.Single(b => b.Id == p.BrandId).Slug).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(brandFacet.OrderBy(x => x.Key), page.Facets.Brands.ToDictionary(f => f.Value, f => f.Count).OrderBy(x => x.Key));

        // An option value counts the products with a variant that has it and meets every other filter.
        var optionFacet = new Dictionary<(string, string), int>();
        foreach (var product in inCategory.Where(p => brands is null || brands.Contains(p.BrandId)))
        {
            var values = product.Variants
                .Where(Fits)
                .SelectMany(v => v.Options.Where(o => filters.Keys.Where(f => !f.Equals(o.Key, StringComparison.OrdinalIgnoreCase)).All(f => Has(v, f))))
                .Select(o => (o.Key, o.Value))
                .Distinct();
            foreach (var value in values)
            {
                optionFacet[value] = optionFacet.GetValueOrDefault(value) + 1;
            }
        }
        var counted = page.Facets.Options.SelectMany(o => o.Value.Select(v => ((o.Key, v.Value), v.Count))).ToDictionary(x => x.Item1, x => x.Count);
        Assert.Equal(optionFacet.OrderBy(x => x.Key), counted.OrderBy(x => x.Key));
    }

    /// <summary>
    /// Products of up to 48 variants are decided with a bit per variant, larger ones by a loop over their variants: the
    /// same catalog with every product's variants repeated past 48 (the copies selling nothing) answers every listing
    /// exactly as the original does.
    /// </summary>
    [Theory]
    [MemberData(nameof(Filters))]
    public void Products_of_many_variants_answer_as_those_of_few(string category, string? brand, string? colour, string? size, string? maxPrice, bool inStock)
    {
        var padded = Seed.Products.Select(p => p with
        {
            Variants = [.. p.Variants, .. Enumerable.Repeat(p.Variants, 48 / Math.Max(1, p.Variants.Count)).SelectMany(v => v).Select(v => v with { UnitsSold = 0 })],
        }).ToList();
        Assert.All(padded.Where(p => p.Variants.Count > 0), p => Assert.True(p.Variants.Count > 48));
        var many = CatalogIndex.Build(Load(Seed, padded));
        foreach (var sort in new[] { "price-asc", "relevance", "best-selling" })
        {
            var search = Parse(new ProductListQuery(Category: [category], Brand: brand?.Split(','), Colour: colour?.Split(','),
                Size: size?.Split(','), MaxPrice: maxPrice, InStock: inStock ? "true" : null, Sort: sort, PageSize: "50"));
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Run(State, search)), System.Text.Json.JsonSerializer.Serialize(Run(many, search)));
        }
    }

    [Theory]
    [InlineData("price-asc")]
    [InlineData("price-desc")]
    [InlineData("newest")]
    [InlineData("best-selling")]
    [InlineData("name")]
    [InlineData("relevance")]
    [InlineData("rating")]
    public void Pages_follow_one_another_without_gaps_or_repeats_at_any_depth(string sort)
    {
        var all = Run(new ProductListQuery(Category: ["clothing"], Sort: sort, PageSize: "100"));
        var expected = new List<int>();
        for (var page = 1; page <= (all.Total + 99) / 100; page++)
        {
            expected.AddRange(Run(new ProductListQuery(Category: ["clothing"], Sort: sort, PageSize: "100", Page: $"{page}")).Items.Select(i => i.Id));
        }
        Assert.Equal(all.Total, expected.Count);
        Assert.Equal(expected.Count, expected.Distinct().Count());

        // Small pages (a bounded selection near the top, a full sort deep down) give the same order.
        var pages = new List<int>();
        for (var page = 1; pages.Count < all.Total; page++)
        {
            var items = Run(new ProductListQuery(Category: ["clothing"], Sort: sort, PageSize: "7", Page: $"{page}")).Items;
            Assert.NotEmpty(items);
            pages.AddRange(items.Select(i => i.Id));
        }
        Assert.Equal(expected, pages);

        var keys = expected.Select(id => Seed.Products[id - 1]).ToList();
        switch (sort)
        {
            case "price-asc":
                Assert.Equal(keys.Select(p => p.Variants.Min(v => v.Price)).Order(), keys.Select(p => p.Variants.Min(v => v.Price)));
                break;
            case "newest":
                Assert.Equal(keys.Select(p => p.AgeDays * 24 + p.Id % 24).Order(), keys.Select(p => p.AgeDays * 24 + p.Id % 24));
                break;
            case "name":
                Assert.Equal(keys.Select(p => p.Name).Order(StringComparer.Ordinal), keys.Select(p => p.Name));
                break;
            case "rating":
                // Rated products by their average as if five three-star reviews came first (millionths of a star), then
                // count, down; the unrated after them.
                var ratings = keys.Select(p => RatingOf(p.Id)).ToList();
                Assert.Equal(ratings.OrderBy(r => r.Average is null)
                    .ThenByDescending(r => r.Average is { } average ? Math.Floor((5 * 3m + r.Count * average) / (5 + r.Count) * 1_000_000m) : 0)
                    .ThenByDescending(r => r.Count), ratings);
                break;
        }
    }

    [Fact]
    public void A_minimum_rating_keeps_exactly_the_products_rated_that_high()
    {
        var page = Run(new ProductListQuery(Category: ["camping-hiking"], MinRating: "4", Sort: "rating", PageSize: "100"));
        var categories = Subtree("camping-hiking");
        var expected = Seed.Products.Where(p => categories.Contains(p.CategoryId) && RatingOf(p.Id).Average >= 4).Select(p => p.Id).ToHashSet();
        Assert.Equal(expected.Count, page.Total);
        Assert.True(expected.SetEquals(Enumerable.Range(1, (page.Total + 99) / 100)
            .SelectMany(n => Run(new ProductListQuery(Category: ["camping-hiking"], MinRating: "4", Sort: "rating", PageSize: "100", Page: $"{n}")).Items)
            .Select(i => i.Id)));
        Assert.All(page.Items, i => Assert.Equal(RatingOf(i.Id), i.Rating));
    }

    [Fact]
    public void A_rating_for_sorting_weighs_the_average_by_how_many_reviews_it_rests_on()
    {
        Assert.True(IndexQuery.RatingScore(5_000_000, 1) < IndexQuery.RatingScore(4_800_000, 37)); // 3.33 against 4.59
        Assert.Equal(3_333_333, IndexQuery.RatingScore(5_000_000, 1));
        Assert.Equal(3_000_000, IndexQuery.RatingScore(3_000_000, 100));
        Assert.Equal(4_620_000, IndexQuery.RatingScore(4_800_000, 45)); // (5 x 3 + 45 x 4.8) / 50
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5.5")]
    [InlineData("four")]
    [InlineData("-1")]
    public void A_minimum_rating_outside_one_to_five_is_refused(string minRating)
    {
        Assert.False(ProductSearchParser.TryParse(new ProductListQuery(MinRating: minRating), out _, out var errors));
        Assert.Contains("minRating", errors.Keys);
    }

    [Fact]
    public void A_page_beyond_the_last_is_empty_with_the_same_total()
    {
        var page = Run(new ProductListQuery(Category: ["tents"], Page: "500"));
        Assert.Empty(page.Items);
        Assert.Equal(Run(new ProductListQuery(Category: ["tents"])).Total, page.Total);
    }

    [Theory]
    [InlineData("sleping bag", "sleeping bag")]
    [InlineData("waterprof jakcet", "waterproof jacket")]
    [InlineData("hikng boots", "hiking boots")]
    public void Misspelt_words_are_corrected(string typed, string corrected)
    {
        var page = Run(new ProductListQuery(Q: typed));
        Assert.Equal(corrected, page.CorrectedQuery);
        Assert.True(page.Total > 0);
        Assert.Equal(Run(new ProductListQuery(Q: corrected)).Total, page.Total);
    }

    [Theory]
    [InlineData("tents")]
    [InlineData("down jacket")]
    [InlineData("waterproof jack")]
    [InlineData("fjellström")]
    public void Known_words_stems_and_prefixes_are_not_corrected(string typed)
    {
        var page = Run(new ProductListQuery(Q: typed));
        Assert.Null(page.CorrectedQuery);
        Assert.True(page.Total > 0, typed);
    }

    [Fact]
    public void Every_word_must_match_and_names_rank_first()
    {
        var page = Run(new ProductListQuery(Q: "rain jacket", PageSize: "100"));
        var expected = Seed.Products.Count(p => ($"{p.Name} {p.Description} {string.Join(' ', p.Tags)} " + Seed.Categories.Single(c => c.Id == p.CategoryId).Name)
            .Contains("rain", StringComparison.OrdinalIgnoreCase));
        Assert.InRange(page.Total, 1, expected);
        var named = page.Items.TakeWhile(i => i.Name.Contains("Jacket", StringComparison.Ordinal) && i.Name.Contains("Rain", StringComparison.Ordinal)).Count();
        Assert.DoesNotContain(page.Items.Skip(named), i => i.Name.Contains("Rain Jacket", StringComparison.Ordinal));
    }

    [Fact]
    public void A_changed_product_is_found_by_its_new_words_only_and_an_archived_one_is_gone()
    {
        var state = CatalogIndex.Build(Load(Seed, Seed.Products));
        var tent = Seed.Products.First(p => p.Name.EndsWith(" Tent", StringComparison.Ordinal));
        var before = Run(state, Parse(new ProductListQuery(Category: ["tents"]))).Total;

        var renamed = tent with { Name = "Quokka Shelter", Description = "A shelter." };
        CatalogIndex.Apply(state, Load(Seed, [renamed]), [tent.Id]);
        Assert.Equal([tent.Id], Run(state, Parse(new ProductListQuery(Q: "quokka"))).Items.Select(i => i.Id));
        Assert.DoesNotContain(tent.Id, Run(state, Parse(new ProductListQuery(Q: tent.Name.Split(' ')[^2], PageSize: "100"))).Items.Select(i => i.Id));

        CatalogIndex.Apply(state, Load(Seed, []), [tent.Id]);
        Assert.Empty(Run(state, Parse(new ProductListQuery(Q: "quokka"))).Items);
        Assert.Equal(before - 1, Run(state, Parse(new ProductListQuery(Category: ["tents"]))).Total);
    }
    [Fact]
    public void After_changes_searches_rank_as_in_an_index_built_afresh()
    {
        // Ranking reads the fields kept beside each stem's postings: they must follow every kind of change.
        var state = CatalogIndex.Build(Load(Seed, Seed.Products));
        var jackets = Seed.Products.Where(p => p.Name.Contains("Jacket", StringComparison.Ordinal)).Take(3).ToList();
        var (a, b, gone) = (jackets[0], jackets[1], jackets[2]);
        var products = Seed.Products.ToDictionary(p => p.Id);

        void Change(params SeedProduct[] changed)
        {
            foreach (var product in changed)
            {
                products[product.Id] = product;
            }
            CatalogIndex.Apply(state, Load(Seed, changed), [.. changed.Select(p => p.Id)]);
        }

        // A new word in one description and another name; then the first product's word moves into its name.
        Change(a with { Description = a.Description + " Stormproof seams." }, b with { Name = "Stormproof " + b.Name });
        Change(products[a.Id] with { Name = "Stormproof " + a.Name, Description = a.Description });
        products.Remove(gone.Id);
        CatalogIndex.Apply(state, Load(Seed, []), [gone.Id]);

        var fresh = CatalogIndex.Build(Load(Seed, products.Values.OrderBy(p => p.Id)));
        foreach (var q in new[] { "stormproof", "stormproof jacket", "jacket", "rain jacket", "jack", "tent" })
        {
            var query = new ProductListQuery(Q: q, PageSize: "100");
            Assert.Equal(Run(fresh, Parse(query)).Items.Select(i => i.Id), Run(state, Parse(query)).Items.Select(i => i.Id));
        }
        // By name too: the renamed products move to their new names' places, the gone one leaves its place.
        var byName = new ProductListQuery(Sort: "name", PageSize: "100", Page: "1");
        var expected = products.Values.Where(p => p.Variants.Count > 0).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id).Take(100).Select(p => p.Id);
        Assert.Equal(expected, Run(state, Parse(byName)).Items.Select(i => i.Id));
        Assert.Equal(Run(fresh, Parse(byName with { Q = "jacket" })).Items.Select(i => i.Id), Run(state, Parse(byName with { Q = "jacket" })).Items.Select(i => i.Id));
        Assert.Equal(new[] { products[a.Id], products[b.Id] }.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Id),
            Run(state, Parse(new ProductListQuery(Q: "stormproof", Sort: "name"))).Items.Select(i => i.Id));
        Assert.Equal([a.Id, b.Id], Run(state, Parse(new ProductListQuery(Q: "stormproof"))).Items.Select(i => i.Id).Order());
    }
}
