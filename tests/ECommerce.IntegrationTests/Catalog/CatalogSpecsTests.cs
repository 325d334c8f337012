using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>
/// Product specifications on the seeded catalog: the sheet on the product page, spec filters with facet counts checked
/// against counts made here from every product's own sheet, sorting by a spec, and the admin's edits.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CatalogSpecsTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private sealed record Sheet(int Id, string Name, string Brand, Dictionary<string, JsonElement> Specs)
    {
        public decimal? Number(string key) => Specs.TryGetValue(key, out var s) && s.TryGetProperty("number", out var n) ? n.GetDecimal() : null;

        public string? Choice(string key) => Specs.TryGetValue(key, out var s) && s.TryGetProperty("choice", out var c) ? c.GetString() : null;
    }

    /// <summary>Every listed product of a category with its sheet, read product by product (not through the listing's facets).</summary>
    private async Task<List<Sheet>> SheetsAsync(string category)
    {
        var ids = (await _catalog.ListAsync($"category={category}&pageSize=100")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToList();
        var sheets = new List<Sheet>();
        foreach (var id in ids)
        {
            var detail = await _catalog.GetJsonAsync($"/api/catalog/products/{id}");
            sheets.Add(new Sheet(id, detail.GetProperty("name").GetString()!, detail.GetProperty("brandSlug").GetString()!,
                detail.GetProperty("specs").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!, s => s)));
        }
        return sheets;
    }

    private static JsonElement Facet(JsonElement page, string key) =>
        page.GetProperty("facets").GetProperty("specs").EnumerateArray().Single(f => f.GetProperty("key").GetString() == key);

    private static Dictionary<string, int> Counts(JsonElement facet) =>
        facet.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("value").GetString()!, v => v.GetProperty("count").GetInt32());

    [Fact]
    public async Task The_product_page_carries_the_sheet_of_its_category_and_the_name_agrees_with_it()
    {
        var tents = await SheetsAsync("tents");
        Assert.True(tents.Count >= 6);
        foreach (var tent in tents.Where(t => t.Name.Contains(" Tent", StringComparison.Ordinal)))
        {
            Assert.Equal(["capacity", "weight", "seasons", "waterproof-rating"], tent.Specs.Keys);
            var persons = tent.Name.Split(' ').Reverse().Skip(2).First();
            if (int.TryParse(persons, out var n))
            {
                Assert.Equal(n, tent.Number("capacity"));
                Assert.Equal(n == 1 ? "1 person" : $"{n} persons", tent.Specs["capacity"].GetProperty("display").GetString());
            }
        }
        var dome = tents.First(t => t.Name.EndsWith(" 3 Dome Tent", StringComparison.Ordinal));
        Assert.Equal(3, dome.Number("capacity"));
        Assert.Matches(@"^\d{1,2},\d{3} g$", dome.Specs["weight"].GetProperty("display").GetString());

        // A jacket's sheet comes from "jackets" (its parent): rain jackets have a waterproof rating.
        var jacket = (await SheetsAsync("rain-jackets"))[0];
        Assert.True(jacket.Number("waterproof-rating") >= 10000);
        Assert.Equal("None", jacket.Choice("insulation"));

        var definitions = await _catalog.GetJsonAsync("/api/catalog/specs?category=rain-jackets");
        Assert.Equal(["waterproof-rating", "breathability", "insulation", "weight"], definitions.EnumerateArray().Select(d => d.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Spec_filters_give_the_products_that_meet_them_and_exact_facet_counts()
    {
        var shoes = await SheetsAsync("footwear");
        var page = await _catalog.ListAsync("category=footwear&spec=weight:..300&spec=waterproof-membrane:No&pageSize=100");

        bool Light(Sheet s) => s.Number("weight") <= 300;
        bool NoMembrane(Sheet s) => s.Choice("waterproof-membrane") == "No";
        var expected = shoes.Where(s => Light(s) && NoMembrane(s)).Select(s => s.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < shoes.Count);
        Assert.Equal(expected.Count, page.GetProperty("total").GetInt32());
        Assert.Equal(expected, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).Order());

        // Each facet counts with the other filters only: the membrane's values among the light shoes, the weight among those without a membrane.
        var membrane = Counts(Facet(page, "waterproof-membrane"));
        foreach (var value in new[] { "Yes", "No" })
        {
            Assert.Equal(shoes.Count(s => Light(s) && s.Choice("waterproof-membrane") == value), membrane.GetValueOrDefault(value));
        }
        var weight = Facet(page, "weight");
        var unmembraned = shoes.Where(NoMembrane).ToList();
        Assert.Equal(unmembraned.Count, weight.GetProperty("count").GetInt32());
        Assert.Equal(unmembraned.Min(s => s.Number("weight")), weight.GetProperty("min").GetDecimal());
        Assert.Equal(unmembraned.Max(s => s.Number("weight")), weight.GetProperty("max").GetDecimal());
        Assert.Equal("Lightest first", weight.GetProperty("sortLabel").GetString());
        // The drop facet counts with both filters.
        Assert.Equal(expected.Count, Facet(page, "drop").GetProperty("count").GetInt32());
        // Brand counts heed the spec filters.
        var brands = page.GetProperty("facets").GetProperty("brands").EnumerateArray().ToDictionary(b => b.GetProperty("value").GetString()!, b => b.GetProperty("count").GetInt32());
        Assert.Equal(shoes.Where(s => Light(s) && NoMembrane(s)).GroupBy(s => s.Brand).ToDictionary(g => g.Key, g => g.Count()), brands);

        // Two choices OR-ed, a range with both ends, negative numbers.
        var both = await _catalog.ListAsync("category=footwear&spec=waterproof-membrane:yes,no&spec=drop:4..8&pageSize=100");
        Assert.Equal(shoes.Count(s => s.Number("drop") is >= 4 and <= 8), both.GetProperty("total").GetInt32());
        var bags = await SheetsAsync("sleeping-bags");
        var warm = await _catalog.ListAsync("category=sleeping-bags&spec=comfort-temperature:..-1&pageSize=100");
        Assert.Equal(bags.Count(b => b.Number("comfort-temperature") <= -1), warm.GetProperty("total").GetInt32());

        // No category: no spec facets.
        Assert.Equal(0, (await _catalog.ListAsync("q=tent")).GetProperty("facets").GetProperty("specs").GetArrayLength());
    }

    [Fact]
    public async Task Listings_sort_by_a_spec_in_its_natural_order_or_the_one_asked_for()
    {
        var tents = await SheetsAsync("tents");
        var lightest = await _catalog.ListAsync("category=tents&sort=spec:weight&pageSize=100");
        Assert.Equal(tents.OrderBy(t => t.Number("weight")).ThenBy(t => t.Id).Select(t => t.Id),
            lightest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
        var roomiest = await _catalog.ListAsync("category=tents&sort=spec:capacity&pageSize=100");
        Assert.Equal(tents.OrderByDescending(t => t.Number("capacity")).ThenBy(t => t.Id).Select(t => t.Id),
            roomiest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
        var heaviest = await _catalog.ListAsync("category=tents&sort=spec:weight:desc&pageSize=2");
        Assert.Equal(tents.OrderByDescending(t => t.Number("weight")).ThenBy(t => t.Id).Take(2).Select(t => t.Id),
            heaviest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));

        // "A light tent for 4 people": capacity 4 or more, lightest first.
        var forFour = await _catalog.ListAsync("category=tents&spec=capacity:4..&sort=spec:weight");
        Assert.Equal(tents.Where(t => t.Number("capacity") >= 4).OrderBy(t => t.Number("weight")).ThenBy(t => t.Id).Select(t => t.Id),
            forFour.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
    }

    [Theory]
    [InlineData("spec=capacity:4..", "spec")]
    [InlineData("category=tents&spec=fill:down", "spec")]
    [InlineData("category=tents&spec=seasons:1..2", "spec")]
    [InlineData("category=tents&spec=capacity:4", "spec")]
    [InlineData("category=tents&spec=capacity:abc..", "spec")]
    [InlineData("category=tents&spec=capacity:5..2", "spec")]
    [InlineData("category=tents&spec=nokey", "spec")]
    [InlineData("category=tents&sort=spec:volume", "sort")]
    [InlineData("sort=spec:weight", "sort")]
    [InlineData("category=tents&sort=spec:weight:up", "sort")]
    public async Task Bad_spec_filters_and_sorts_answer_400_naming_the_parameter(string query, string field)
    {
        using var response = await _catalog.SendAsync(HttpMethod.Get, "/api/catalog/products?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await CatalogClient.ValidationErrorsAsync(response)).Keys);
    }

    [Fact]
    public async Task An_admin_edits_a_sheet_checked_against_the_category_and_listings_follow()
    {
        var product = await _catalog.CreateProductAsync([2, 2]);
        try
        {
            var path = $"/api/catalog/products/{product.Id}/specs";
            // Customers and anonymous callers may not.
            using (var anonymous = await _catalog.SendAsync(HttpMethod.Put, path, null, new { specs = new { weight = 60 } }))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }
            using (var customer = await _catalog.SendAsync(HttpMethod.Put, path, await _catalog.CustomerTokenAsync(), new { specs = new { weight = 60 } }))
            {
                Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
            }

            var edited = await _catalog.AdminJsonAsync(HttpMethod.Put, path, new { specs = new Dictionary<string, object> { ["weight"] = 61, ["strength"] = "25" } });
            Assert.Equal(["61 g", "25 kN"], edited.GetProperty("specs").EnumerateArray().Select(s => s.GetProperty("display").GetString()));
            var found = await _catalog.ListAsync($"category={CatalogClient.TestCategory}&spec=weight:61..61&spec=strength:25..");
            Assert.Contains(found.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == product.Id);

            // Bad values: 400 with each key named, nothing changed.
            using (var bad = await _catalog.AsAdminAsync(HttpMethod.Put, path, new { specs = new Dictionary<string, object> { ["weight"] = 99999, ["strength"] = "strong", ["capacity"] = 3 } }))
            {
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
                var body = await bad.Content.ReadAsStringAsync(CatalogClient.Cancellation);
                Assert.DoesNotContain("Exception", body);
                Assert.Equal(["specs.capacity", "specs.strength", "specs.weight"], (await CatalogClient.ValidationErrorsAsync(bad)).Keys.Order());
            }
            using (var fraction = await _catalog.AsAdminAsync(HttpMethod.Put, path, new { specs = new { weight = 60.5 } }))
            {
                Assert.Equal(HttpStatusCode.BadRequest, fraction.StatusCode);
            }
            using (var missing = await _catalog.AsAdminAsync(HttpMethod.Put, "/api/catalog/products/999999/specs", new { specs = new { weight = 60 } }))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
            Assert.Equal(61, (await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}")).GetProperty("specs")[0].GetProperty("number").GetDecimal());

            // Clearing a value takes the product out of that spec's filter.
            await _catalog.AdminJsonAsync(HttpMethod.Put, path, new { specs = new { weight = 61 } });
            var after = await _catalog.ListAsync($"category={CatalogClient.TestCategory}&spec=strength:25..");
            Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == product.Id);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }
}
