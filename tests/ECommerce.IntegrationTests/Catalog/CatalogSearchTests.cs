using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>Listing, search, facets, filters, sorting and the read endpoints, on the seeded catalog, as a shopper (no token).</summary>
[Collection(AppCollection.Name)]
public sealed class CatalogSearchTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    private static IEnumerable<string> Names(JsonElement page) => Items(page).Select(i => i.GetProperty("name").GetString()!);

    private static int Total(JsonElement page) => page.GetProperty("total").GetInt32();

    private static int Sum(JsonElement facet) => facet.EnumerateArray().Sum(v => v.GetProperty("count").GetInt32());

    [Fact]
    public async Task The_seeded_catalog_looks_like_a_sports_and_outdoor_shop()
    {
        var all = await _catalog.ListAsync("pageSize=100");
        Assert.True(Total(all) >= 150, $"{Total(all)} products");
        var categories = await _catalog.GetJsonAsync("/api/catalog/categories");
        Assert.True(categories.EnumerateArray().Sum(c => CatalogClient.Subtree(c).Count) >= 12);
        var brands = await _catalog.GetJsonAsync("/api/catalog/brands");
        Assert.True(brands.GetArrayLength() >= 15);
        var variants = await _catalog.GetJsonAsync("/api/catalog/variants?ids=1,500,1001");
        Assert.Equal(3, variants.GetArrayLength());

        // Some sold out, some in stock; prices look like prices.
        Assert.Contains(Items(all), i => !i.GetProperty("inStock").GetBoolean());
        Assert.Contains(Items(all), i => i.GetProperty("inStock").GetBoolean());
        Assert.All(Items(all), i => Assert.InRange(i.GetProperty("priceFrom").GetDecimal(), 1m, 10_000m));
    }

    [Fact]
    public async Task Search_finds_products_by_the_stem_of_a_word()
    {
        // "tents" and "boots" are plurals; the products are named "... Tent" and "... Boot".
        var tents = await _catalog.ListAsync("q=tents&pageSize=50");
        var inCategory = Total(await _catalog.ListAsync("category=tents&pageSize=1"));
        Assert.True(inCategory >= 6);
        Assert.False(tents.TryGetProperty("correctedQuery", out _));
        // Every tent, named "... Tent", ranked before products that only mention tents in their description.
        Assert.All(Items(tents).Take(inCategory), i => Assert.EndsWith(" Tent", i.GetProperty("name").GetString()));
        Assert.All(Items(tents).Skip(inCategory), i => Assert.DoesNotContain("Tent", i.GetProperty("name").GetString()));

        // "hiking boots": the hiking boots first (both words in their names), then products that mention both elsewhere.
        var boots = await _catalog.ListAsync("q=hiking%20boots&pageSize=50");
        var named = Items(boots).TakeWhile(i => i.GetProperty("name").GetString()!.Contains("Hiking Boot", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, i => Assert.Equal("hiking-boots", i.GetProperty("categorySlug").GetString()));
        Assert.DoesNotContain(Items(boots).Skip(named.Count), i => i.GetProperty("name").GetString()!.Contains("Hiking Boot", StringComparison.Ordinal));

        var running = await _catalog.ListAsync("q=runs&category=footwear&pageSize=50");
        Assert.Contains(Names(running), n => n.Contains("Running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_tolerates_misspelt_words()
    {
        var bags = await _catalog.ListAsync("q=sleping%20bagg&pageSize=50");
        Assert.Equal("sleeping bag", bags.GetProperty("correctedQuery").GetString());
        Assert.True(Total(bags) >= 5);
        Assert.All(Items(bags), i => Assert.Equal("sleeping-bags", i.GetProperty("categorySlug").GetString()));

        var jackets = await _catalog.ListAsync("q=waterprof%20jackt&pageSize=50");
        Assert.Equal("waterproof jacket", jackets.GetProperty("correctedQuery").GetString());
        Assert.Contains(Names(jackets), n => n.Contains("Waterproof Jacket", StringComparison.Ordinal));

        var packs = await _catalog.ListAsync("q=backpak&pageSize=50");
        Assert.Contains(Items(packs), i => i.GetProperty("categorySlug").GetString() == "backpacks");
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("*")]
    [InlineData("%25%25")]
    [InlineData("\\")]
    public async Task Wildcards_are_just_text_and_match_nothing(string q)
    {
        var page = await _catalog.ListAsync("q=" + Uri.EscapeDataString(q));
        Assert.Equal(0, Total(page));
        Assert.Empty(Items(page));
    }

    [Theory]
    [InlineData("'; DROP TABLE products; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("tent' UNION SELECT * FROM variants --")]
    [InlineData("tent & !boot | (stove):*")]
    public async Task Sql_and_query_syntax_are_just_text(string q)
    {
        var page = await _catalog.ListAsync("q=" + Uri.EscapeDataString(q));
        Assert.True(Total(page) >= 0);
        // The catalog is still all there.
        Assert.True(Total(await _catalog.ListAsync("pageSize=1")) >= 150);
    }

    [Fact]
    public async Task Category_and_brand_facets_add_up_to_the_total()
    {
        foreach (var query in new[] { "pageSize=1", "q=jacket&pageSize=1", "category=footwear&pageSize=1", "inStock=true&maxPrice=100&pageSize=1" })
        {
            var page = await _catalog.ListAsync(query);
            var facets = page.GetProperty("facets");
            Assert.True(Total(page) > 0, query);
            Assert.Equal(Total(page), Sum(facets.GetProperty("categories")));
            Assert.Equal(Total(page), Sum(facets.GetProperty("brands")));
            foreach (var option in facets.GetProperty("options").EnumerateObject())
            {
                // A product can come in several colours: each value counts products, none more than the total.
                Assert.All(option.Value.EnumerateArray(), v => Assert.InRange(v.GetProperty("count").GetInt32(), 1, Total(page)));
            }
        }
    }

    [Fact]
    public async Task A_facet_keeps_showing_its_other_values_once_one_is_chosen()
    {
        var all = await _catalog.ListAsync("category=clothing&pageSize=1");
        var brand = all.GetProperty("facets").GetProperty("brands")[0];
        var chosen = await _catalog.ListAsync($"category=clothing&brand={brand.GetProperty("value").GetString()}&pageSize=1");

        Assert.Equal(brand.GetProperty("count").GetInt32(), Total(chosen));
        // The brand facet is counted without its own filter: the same counts as before choosing.
        Assert.Equal(all.GetProperty("facets").GetProperty("brands").ToString(), chosen.GetProperty("facets").GetProperty("brands").ToString());
        Assert.Equal(Total(chosen), Sum(chosen.GetProperty("facets").GetProperty("categories")));

        var red = await _catalog.ListAsync("category=clothing&colour=Red&pageSize=1");
        var redFacet = red.GetProperty("facets").GetProperty("options").GetProperty("Colour").EnumerateArray().Single(v => v.GetProperty("value").GetString() == "Red");
        Assert.Equal(Total(red), redFacet.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Filters_combine_on_the_same_variant()
    {
        var clothing = CatalogClient.Subtree(CatalogClient.FindCategory(await _catalog.GetJsonAsync("/api/catalog/categories"), "clothing"));
        var page = await _catalog.ListAsync("category=clothing&colour=red&size=M&inStock=true&maxPrice=150&pageSize=100");
        Assert.True(Total(page) > 0);
        Assert.True(Total(page) < Total(await _catalog.ListAsync("category=clothing&colour=red&pageSize=1")));

        foreach (var item in Items(page))
        {
            Assert.Contains(item.GetProperty("categorySlug").GetString()!, clothing);
            Assert.True(item.GetProperty("inStock").GetBoolean());
            Assert.True(item.GetProperty("priceFrom").GetDecimal() <= 150m);
            var detail = await _catalog.GetJsonAsync($"/api/catalog/products/{item.GetProperty("id").GetInt32()}");
            Assert.Contains(detail.GetProperty("variants").EnumerateArray(), v =>
                v.GetProperty("options").GetProperty("Colour").GetString() == "Red"
                && v.GetProperty("options").GetProperty("Size").GetString() == "M"
                && v.GetProperty("available").GetInt32() > 0
                && v.GetProperty("price").GetDecimal() <= 150m);
            Assert.EndsWith("/images/red.svg", item.GetProperty("imageUrl").GetString());
        }
    }

    [Fact]
    public async Task A_category_includes_its_sub_categories()
    {
        var jackets = Total(await _catalog.ListAsync("category=jackets&pageSize=1"));
        var parts = 0;
        foreach (var leaf in new[] { "rain-jackets", "insulated-jackets", "softshell-jackets" })
        {
            parts += Total(await _catalog.ListAsync($"category={leaf}&pageSize=1"));
        }
        Assert.True(jackets > 0);
        Assert.Equal(parts, jackets);
        Assert.Equal(jackets, Total(await _catalog.ListAsync("category=rain-jackets,insulated-jackets&category=softshell-jackets&pageSize=1")));
    }

    [Fact]
    public async Task Sorts_order_the_whole_result()
    {
        var ascending = Items(await _catalog.ListAsync("category=tents&sort=price-asc&pageSize=100")).Select(i => i.GetProperty("priceFrom").GetDecimal()).ToList();
        Assert.Equal(ascending.Order(), ascending);
        var descending = Items(await _catalog.ListAsync("category=tents&sort=price-desc&pageSize=100")).Select(i => i.GetProperty("priceFrom").GetDecimal()).ToList();
        Assert.Equal(descending.OrderDescending(), descending);
        var names = Names(await _catalog.ListAsync("category=footwear&sort=name&pageSize=100")).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names, StringComparer.Ordinal);

        var newest = new List<DateTimeOffset>();
        foreach (var item in Items(await _catalog.ListAsync("category=backpacks&sort=newest&pageSize=100")))
        {
            newest.Add((await _catalog.GetJsonAsync($"/api/catalog/products/{item.GetProperty("id").GetInt32()}")).GetProperty("createdAt").GetDateTimeOffset());
        }
        Assert.Equal(newest.OrderDescending(), newest);

        // Relevance: a product with the words in its name before one with them only in its description.
        var relevant = Names(await _catalog.ListAsync("q=down%20jacket&pageSize=5")).First();
        Assert.Contains("Down Jacket", relevant);
    }

    [Fact]
    public async Task Pages_split_the_result_without_overlap()
    {
        var first = await _catalog.ListAsync("sort=name&pageSize=7&page=1");
        var second = await _catalog.ListAsync("sort=name&pageSize=7&page=2");
        Assert.Equal((1, 7), (first.GetProperty("page").GetInt32(), first.GetProperty("pageSize").GetInt32()));
        Assert.Equal(7, first.GetProperty("items").GetArrayLength());
        Assert.Empty(Names(first).Intersect(Names(second)));
        Assert.Equal(Total(first), Total(second));
        var beyond = await _catalog.ListAsync("pageSize=100&page=1000");
        Assert.Empty(Items(beyond));
        Assert.Equal(Total(first), Total(beyond));
    }

    [Theory]
    [InlineData("minPrice=-1", "minPrice")]
    [InlineData("maxPrice=ten", "maxPrice")]
    [InlineData("pageSize=10000", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("sort=cheapest", "sort")]
    [InlineData("inStock=perhaps", "inStock")]
    [InlineData("option=Colour", "option")]
    public async Task Bad_query_values_are_400_naming_the_field(string query, string field)
    {
        using var response = await _catalog.SendAsync(HttpMethod.Get, "/api/catalog/products?" + query);
        var errors = await CatalogClient.ValidationErrorsAsync(response);
        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    [InlineData("/api/catalog/products/999999")]
    [InlineData("/api/catalog/products/no-such-product")]
    [InlineData("/api/catalog/products/Not%20A%20Slug")]
    [InlineData("/api/catalog/products/1/images/no-such-colour.svg")]
    [InlineData("/api/catalog/products/999999/images/default.svg")]
    [InlineData("/api/catalog/variants/999999")]
    public async Task Unknown_things_are_404(string path)
    {
        using var response = await _catalog.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_product_has_the_documented_shape_by_id_and_by_slug()
    {
        var summary = Items(await _catalog.ListAsync("category=rain-jackets&pageSize=1")).Single();
        var detail = await _catalog.GetJsonAsync($"/api/catalog/products/{summary.GetProperty("id").GetInt32()}");
        var bySlug = await _catalog.GetJsonAsync($"/api/catalog/products/{summary.GetProperty("slug").GetString()}");
        Assert.Equal(detail.ToString(), bySlug.ToString());

        foreach (var field in new[] { "id", "slug", "name", "description", "brand", "category", "tags", "images", "options", "variants", "priceFrom", "priceTo", "brandId", "categorySlug" })
        {
            Assert.True(detail.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Equal(summary.GetProperty("brand").GetString(), detail.GetProperty("brand").GetString());
        Assert.Equal("Rain Jackets", detail.GetProperty("category").GetString());
        var options = detail.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Size", "Colour"], options);

        var variants = detail.GetProperty("variants").EnumerateArray().ToList();
        Assert.NotEmpty(variants);
        foreach (var variant in variants)
        {
            Assert.Equal(options, variant.GetProperty("options").EnumerateObject().Select(p => p.Name));
            Assert.False(string.IsNullOrWhiteSpace(variant.GetProperty("sku").GetString()));
            Assert.True(variant.GetProperty("available").GetInt32() >= 0);
        }
        Assert.Equal(variants.Min(v => v.GetProperty("price").GetDecimal()), detail.GetProperty("priceFrom").GetDecimal());
        Assert.Equal(variants.Max(v => v.GetProperty("price").GetDecimal()), detail.GetProperty("priceTo").GetDecimal());

        // available = on hand - reserved, as the stock endpoint (admins) shows it.
        var stock = await _catalog.StockAsync(variants[0].GetProperty("id").GetInt32());
        Assert.Equal(stock.GetProperty("onHand").GetInt32() - stock.GetProperty("reserved").GetInt32(), variants[0].GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Product_images_are_generated_svg_per_colour()
    {
        var detail = await _catalog.GetJsonAsync("/api/catalog/products/" + Items(await _catalog.ListAsync("category=backpacks&pageSize=1")).Single().GetProperty("id").GetInt32());
        var images = detail.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(detail.GetProperty("options").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "Colour").GetProperty("values").GetArrayLength(), images.Count);
        var bodies = new HashSet<string>();
        foreach (var image in images)
        {
            using var response = await _catalog.SendAsync(HttpMethod.Get, image.GetProperty("url").GetString()!);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            var svg = await response.Content.ReadAsStringAsync(CatalogClient.Cancellation);
            Assert.Equal("svg", XDocument.Parse(svg).Root!.Name.LocalName);
            bodies.Add(svg);
        }
        Assert.Equal(images.Count, bodies.Count);
    }

    [Fact]
    public async Task Categories_form_a_tree_with_counts_and_brands_are_listed()
    {
        var categories = await _catalog.GetJsonAsync("/api/catalog/categories");
        var clothing = CatalogClient.FindCategory(categories, "clothing");
        var jackets = CatalogClient.FindCategory(categories, "jackets");
        Assert.Equal(3, jackets.GetProperty("children").GetArrayLength());
        Assert.Equal(jackets.GetProperty("children").EnumerateArray().Sum(c => c.GetProperty("productCount").GetInt32()), jackets.GetProperty("productCount").GetInt32());
        Assert.Equal(Total(await _catalog.ListAsync("category=clothing&pageSize=1")), clothing.GetProperty("productCount").GetInt32());

        var brands = await _catalog.GetJsonAsync("/api/catalog/brands");
        var wildpath = brands.EnumerateArray().Single(b => b.GetProperty("slug").GetString() == "wildpath");
        Assert.Equal(Total(await _catalog.ListAsync("brand=wildpath&pageSize=1")), wildpath.GetProperty("productCount").GetInt32());
    }
}
