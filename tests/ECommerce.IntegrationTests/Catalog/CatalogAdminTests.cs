using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>Admin writes: who may make them, and what they do to products, variants and stock.</summary>
[Collection(AppCollection.Name)]
public sealed class CatalogAdminTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    public static TheoryData<string, string> AdminEndpoints => new()
    {
        { "POST", "/api/catalog/products" },
        { "PUT", "/api/catalog/products/1" },
        { "PUT", "/api/catalog/products/1/specs" },
        { "DELETE", "/api/catalog/products/1" },
        { "POST", "/api/catalog/products/1/restore" },
        { "POST", "/api/catalog/products/1/variants" },
        { "PUT", "/api/catalog/variants/1" },
        { "GET", "/api/stock/variants/1" },
        { "PUT", "/api/stock/variants/1" },
        { "POST", "/api/stock/variants/1/adjustments" },
        { "GET", "/api/stock/low" },
    };

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Admin_endpoints_answer_401_to_anonymous_callers_and_403_to_customers(string method, string path)
    {
        using (var anonymous = await _catalog.SendAsync(new HttpMethod(method), path, null, new { }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var customer = await _catalog.SendAsync(new HttpMethod(method), path, await _catalog.CustomerTokenAsync(), new { }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        }
        // Nothing was archived or changed by those attempts.
        Assert.False((await _catalog.GetJsonAsync("/api/catalog/products/1")).GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task An_admin_creates_edits_archives_and_restores_a_product()
    {
        var product = await _catalog.CreateProductAsync([3, 4], price: 19.5m);
        try
        {
            var detail = await _catalog.GetJsonAsync($"/api/catalog/products/{product.Slug}");
            Assert.Equal(product.Id, detail.GetProperty("id").GetInt32());
            Assert.Equal(["S", "M"], detail.GetProperty("options")[0].GetProperty("values").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal([3, 4], detail.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("available").GetInt32()));
            Assert.Equal(product.Id, (await _catalog.ListAsync($"q={product.Token}")).GetProperty("items")[0].GetProperty("id").GetInt32());

            // Opening stock is recorded as a receipt by the admin.
            var receipt = (await _catalog.StockAsync(product.VariantIds[0])).GetProperty("movements")[0];
            Assert.Equal(("receipt", 3), (receipt.GetProperty("kind").GetString(), receipt.GetProperty("quantity").GetInt32()));
            Assert.Contains("@", receipt.GetProperty("actor").GetString());

            var edited = await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/catalog/products/{product.Id}", new
            {
                name = $"Granite Line Quicklink Screwgate {product.Token}",
                description = "Renamed by a test.",
                brandId = detail.GetProperty("brandId").GetInt32(),
                categoryId = detail.GetProperty("categoryId").GetInt32(),
                tags = new[] { "Renamed", "test" },
            });
            Assert.Equal(["renamed", "test"], edited.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(product.Slug, edited.GetProperty("slug").GetString());
            var found = await _catalog.ListAsync("q=quicklink%20screwgate");
            Assert.Contains(found.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == product.Id);

            await _catalog.ArchiveAsync(product);
            using (var hidden = await _catalog.SendAsync(HttpMethod.Get, $"/api/catalog/products/{product.Id}"))
            {
                Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            }
            Assert.Equal(0, (await _catalog.ListAsync($"q={product.Token}")).GetProperty("total").GetInt32());
            Assert.True((await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}", await _catalog.AdminTokenAsync())).GetProperty("archived").GetBoolean());

            using (var restored = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/catalog/products/{product.Id}/restore"))
            {
                Assert.Equal(HttpStatusCode.NoContent, restored.StatusCode);
            }
            Assert.Equal(1, (await _catalog.ListAsync($"q={product.Token}")).GetProperty("total").GetInt32());
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Adding_a_variant_with_a_new_size_extends_the_products_option()
    {
        var product = await _catalog.CreateProductAsync([1]);
        try
        {
            var added = await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/catalog/products/{product.Id}/variants",
                new { options = new { size = "xl" }, price = 31.25m, onHand = 6, reorderPoint = 2, leadTimeDays = 21 }, HttpStatusCode.Created);
            Assert.Equal(6, added.GetProperty("available").GetInt32());
            Assert.Equal("xl", added.GetProperty("options").GetProperty("Size").GetString());

            var detail = await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}");
            Assert.Equal(["S", "xl"], detail.GetProperty("options")[0].GetProperty("values").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal(31.25m, detail.GetProperty("priceTo").GetDecimal());

            using var duplicate = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/catalog/products/{product.Id}/variants", new { options = new { Size = "XL" }, price = 1m });
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
            using var wrongOption = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/catalog/products/{product.Id}/variants", new { options = new { Colour = "Red" }, price = 1m });
            Assert.Contains("options", (await CatalogClient.ValidationErrorsAsync(wrongOption)).Keys);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Bad_product_input_is_400_naming_the_field_and_a_taken_slug_is_409()
    {
        using (var empty = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/catalog/products", new { }))
        {
            Assert.Equal(["brandId", "categoryId", "name"], (await CatalogClient.ValidationErrorsAsync(empty)).Keys.Order());
        }
        using (var unknownBrand = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/catalog/products", new { name = "Nothing", brandId = 9999, categoryId = 1 }))
        {
            Assert.Equal(["brandId"], (await CatalogClient.ValidationErrorsAsync(unknownBrand)).Keys);
        }
        using (var badVariant = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/catalog/products", new
        {
            name = "Nothing", brandId = 1, categoryId = 1,
            options = new[] { new { name = "Size", values = new[] { "S" } } },
            variants = new[] { new { options = new { Size = "M" }, price = -1m } },
        }))
        {
            Assert.Equal(["variants[0].options", "variants[0].price"], (await CatalogClient.ValidationErrorsAsync(badVariant)).Keys.Order());
        }
        var seeded = await _catalog.GetJsonAsync("/api/catalog/products/1");
        using (var taken = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/catalog/products", new { name = "Copy", slug = seeded.GetProperty("slug").GetString(), brandId = 1, categoryId = 1 }))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        }
        using (var missing = await _catalog.AsAdminAsync(HttpMethod.Put, "/api/catalog/products/999999", new { name = "Ghost", brandId = 1, categoryId = 1 }))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        using (var badPrice = await _catalog.AsAdminAsync(HttpMethod.Put, "/api/catalog/variants/1", new { price = 1.001m }))
        {
            Assert.Equal(["price"], (await CatalogClient.ValidationErrorsAsync(badPrice)).Keys);
        }
    }

    [Fact]
    public async Task Stock_is_set_and_adjusted_with_a_reason_and_every_change_is_recorded()
    {
        var product = await _catalog.CreateProductAsync([10]);
        var variant = product.VariantIds[0];
        try
        {
            var counted = await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{variant}", new { onHand = 20, reason = "Cycle count" });
            Assert.Equal(20, counted.GetProperty("onHand").GetInt32());
            await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/variants/{variant}/adjustments", new { quantity = 5, kind = "receipt", reason = "Delivery", reference = "PO-77" });
            await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/variants/{variant}/adjustments", new { quantity = -3, kind = "adjustment", reason = "Damaged" });
            var level = await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/variants/{variant}/adjustments", new { quantity = 1, kind = "return", reason = "Customer return" });

            Assert.Equal(23, level.GetProperty("onHand").GetInt32());
            var movements = level.GetProperty("movements").EnumerateArray()
                .Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("quantity").GetInt32(), m.GetProperty("onHandAfter").GetInt32(), m.GetProperty("reason").GetString()))
                .ToList();
            Assert.Equal(
            [
                ("return", 1, 23, "Customer return"),
                ("adjustment", -3, 22, "Damaged"),
                ("receipt", 5, 25, "Delivery"),
                ("adjustment", 10, 20, "Cycle count"),
                ("receipt", 10, 10, "Opening stock"),
            ], movements);
            Assert.All(level.GetProperty("movements").EnumerateArray(), m => Assert.Contains("@", m.GetProperty("actor").GetString()));
            Assert.Equal(23, (await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}")).GetProperty("variants")[0].GetProperty("available").GetInt32());

            // Never below what is reserved; receipts add; reasons are required.
            await _catalog.ReserveOkAsync("cart:held", [(variant, 20)]);
            using (var below = await _catalog.AsAdminAsync(HttpMethod.Put, $"/api/stock/variants/{variant}", new { onHand = 19, reason = "Recount" }))
            {
                Assert.Equal(HttpStatusCode.Conflict, below.StatusCode);
            }
            using (var takeTooMuch = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/variants/{variant}/adjustments", new { quantity = -4, kind = "adjustment", reason = "Lost" }))
            {
                Assert.Equal(HttpStatusCode.Conflict, takeTooMuch.StatusCode);
            }
            using (var negativeReceipt = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/variants/{variant}/adjustments", new { quantity = -4, kind = "receipt", reason = "Oops" }))
            {
                Assert.Equal(["quantity"], (await CatalogClient.ValidationErrorsAsync(negativeReceipt)).Keys);
            }
            using (var noReason = await _catalog.AsAdminAsync(HttpMethod.Put, $"/api/stock/variants/{variant}", new { onHand = 30 }))
            {
                Assert.Equal(["reason"], (await CatalogClient.ValidationErrorsAsync(noReason)).Keys);
            }
            using (var missing = await _catalog.AsAdminAsync(HttpMethod.Put, "/api/stock/variants/999999", new { onHand = 1, reason = "x" }))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
            Assert.Equal(23, (await _catalog.StockAsync(variant)).GetProperty("onHand").GetInt32());
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Low_stock_lists_variants_at_or_below_their_reorder_point_emptiest_first()
    {
        var product = await _catalog.CreateProductAsync([2, 50], reorderPoint: 5);
        try
        {
            var found = new List<JsonElement>();
            int? previous = null;
            for (var page = 1; ; page++)
            {
                var list = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/low?pageSize=100&page={page}", null);
                foreach (var item in list.GetProperty("items").EnumerateArray())
                {
                    var available = item.GetProperty("available").GetInt32();
                    Assert.True(available <= item.GetProperty("reorderPoint").GetInt32());
                    Assert.True(previous is null || previous <= available);
                    previous = available;
                    if (item.GetProperty("productId").GetInt32() == product.Id)
                    {
                        found.Add(item);
                    }
                }
                if (page * 100 >= list.GetProperty("total").GetInt32())
                {
                    break;
                }
            }
            var low = Assert.Single(found);
            Assert.Equal((product.VariantIds[0], 2), (low.GetProperty("variantId").GetInt32(), low.GetProperty("available").GetInt32()));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }
}
