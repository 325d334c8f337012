using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>
/// catalog-api's <c>GET /api/catalog/product-details</c>: every product's details a page at a time by the last id, for
/// services sweeping the catalog (OrderingApi's demo history) and admins.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ProductDetailsTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private static List<int> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32())];

    [Fact]
    public async Task Admins_walk_the_catalog_by_the_last_id_and_each_product_reads_as_it_does_alone()
    {
        var first = await _catalog.AdminJsonAsync(HttpMethod.Get, "/api/catalog/product-details?limit=3", null);
        var firstIds = Ids(first);
        Assert.Equal(3, firstIds.Count);
        Assert.Equal(firstIds.Order(), firstIds);
        Assert.Equal(firstIds[^1], first.GetProperty("nextAfterId").GetInt32());
        var second = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/catalog/product-details?afterId={firstIds[^1]}&limit=3", null);
        var secondIds = Ids(second);
        Assert.Equal(3, secondIds.Count);
        Assert.True(secondIds[0] > firstIds[^1]);
        Assert.Equal(secondIds.Order(), secondIds);

        var product = await _catalog.CreateProductAsync([4, 1], price: 31.5m);
        try
        {
            // The newest product is the last page: the same details as GET /api/catalog/products/{id}, and no page after it.
            var last = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/catalog/product-details?afterId={product.Id - 1}&limit=500", null);
            Assert.Equal([product.Id], Ids(last));
            Assert.Equal(JsonValueKind.Null, last.GetProperty("nextAfterId").ValueKind);
            var alone = await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}");
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(alone.GetRawText()), JsonNode.Parse(last.GetProperty("items")[0].GetRawText())),
                $"{alone.GetRawText()}\n{last.GetProperty("items")[0].GetRawText()}");
            Assert.Equal(product.VariantIds, last.GetProperty("items")[0].GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("id").GetInt32()));

            // Archived products stay in the sweep, flagged (the caller decides what to do with them).
            await _catalog.ArchiveAsync(product);
            var archived = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/catalog/product-details?afterId={product.Id - 1}&limit=1", null);
            Assert.Equal([product.Id], Ids(archived));
            Assert.True(archived.GetProperty("items")[0].GetProperty("archived").GetBoolean());
        }
        finally
        {
            using var _ = await _catalog.AsAdminAsync(HttpMethod.Delete, $"/api/catalog/products/{product.Id}");
        }
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("afterId=-1", "afterId")]
    [InlineData("afterId=1.5", "afterId")]
    public async Task Bad_arguments_are_400(string query, string field)
    {
        using var response = await _catalog.AsAdminAsync(HttpMethod.Get, "/api/catalog/product-details?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await IdentityClient.ValidationErrorsAsync(response)).Keys);
    }

    [Fact]
    public async Task Customers_and_anonymous_callers_cannot_sweep_the_catalog()
    {
        using (var anonymous = await _catalog.SendAsync(HttpMethod.Get, "/api/catalog/product-details"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using var customer = await _catalog.SendAsync(HttpMethod.Get, "/api/catalog/product-details", await _catalog.CustomerTokenAsync());
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
    }
}
