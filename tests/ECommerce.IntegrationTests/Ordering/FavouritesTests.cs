using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Infrastructure;
using Npgsql;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>
/// A customer's favourites (ordering-api <c>/api/favourites</c>) over the real catalog: their own only, idempotent,
/// anonymous shoppers refused, the browser's list merged at sign-in, "back in stock" once stock returns.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FavouritesTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    [Fact]
    public async Task A_customer_adds_lists_and_removes_favourites_and_adding_twice_keeps_one()
    {
        var tent = await _catalog.CreateProductAsync([3, 0], price: 149m, noun: "Favourite Tent");
        var stove = await _catalog.CreateProductAsync([2], price: 39.5m, noun: "Favourite Stove");
        try
        {
            var customer = await new Shopper(fixture.App).SignUpAsync();
            Assert.Equal(0, (await customer.GetJsonAsync("/api/favourites")).GetProperty("count").GetInt32());

            using (var first = await customer.SendAsync(HttpMethod.Put, $"/api/favourites/{tent.Id}"))
            {
                Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            }
            using (var again = await customer.SendAsync(HttpMethod.Put, $"/api/favourites/{tent.Id}"))
            {
                var item = await Shopper.OkJsonAsync(again);
                Assert.Equal(tent.Name, item.GetProperty("name").GetString());
            }
            using (var second = await customer.SendAsync(HttpMethod.Put, $"/api/favourites/{stove.Id}"))
            {
                Assert.Equal(HttpStatusCode.Created, second.StatusCode);
            }

            var list = await customer.GetJsonAsync("/api/favourites");
            Assert.Equal(2, list.GetProperty("count").GetInt32());
            var items = list.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal([stove.Id, tent.Id], items.Select(i => i.GetProperty("productId").GetInt32())); // newest first
            var tentItem = items[1];
            Assert.Equal(tent.Slug, tentItem.GetProperty("slug").GetString());
            Assert.Equal(149m, tentItem.GetProperty("priceFrom").GetDecimal());
            Assert.True(tentItem.GetProperty("inStock").GetBoolean());
            Assert.False(tentItem.GetProperty("backInStock").GetBoolean());
            Assert.True(tentItem.GetProperty("sold").GetBoolean());
            Assert.EndsWith(".svg", tentItem.GetProperty("imageUrl").GetString());
            Assert.Equal([3, 0], tentItem.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("available").GetInt32()));
            Assert.Equal([stove.Id, tent.Id], Ids(await customer.GetJsonAsync("/api/favourites/ids")));

            using (var removed = await customer.SendAsync(HttpMethod.Delete, $"/api/favourites/{tent.Id}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
            }
            using (var removedAgain = await customer.SendAsync(HttpMethod.Delete, $"/api/favourites/{tent.Id}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, removedAgain.StatusCode);
            }
            Assert.Equal([stove.Id], Ids(await customer.GetJsonAsync("/api/favourites/ids")));
        }
        finally
        {
            await _catalog.ArchiveAsync(tent);
            await _catalog.ArchiveAsync(stove);
        }
    }

    [Fact]
    public async Task Another_customer_neither_sees_nor_changes_them_and_anonymous_callers_get_401()
    {
        var product = await _catalog.CreateProductAsync([4], noun: "Private Lantern");
        try
        {
            var owner = await new Shopper(fixture.App).SignUpAsync();
            (await owner.SendAsync(HttpMethod.Put, $"/api/favourites/{product.Id}")).Dispose();

            var other = await new Shopper(fixture.App).SignUpAsync();
            Assert.Empty(Ids(await other.GetJsonAsync("/api/favourites/ids")));
            Assert.Equal(0, (await other.GetJsonAsync("/api/favourites")).GetProperty("count").GetInt32());
            using (var removed = await other.SendAsync(HttpMethod.Delete, $"/api/favourites/{product.Id}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode); // their own list, where it never was
            }
            Assert.Equal([product.Id], Ids(await owner.GetJsonAsync("/api/favourites/ids")));

            var anonymous = new Shopper(fixture.App);
            foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, "/api/favourites", null), (HttpMethod.Get, "/api/favourites/ids", null),
                (HttpMethod.Put, $"/api/favourites/{product.Id}", null), (HttpMethod.Delete, $"/api/favourites/{product.Id}", null),
                (HttpMethod.Post, "/api/favourites/merge", new { productIds = new[] { product.Id } }),
            })
            {
                using var response = await anonymous.SendAsync(method, path, body);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Unknown_or_archived_products_and_bad_ids_are_refused_with_problem_details()
    {
        var archived = await _catalog.CreateProductAsync([1], noun: "Retired Compass");
        await _catalog.ArchiveAsync(archived);
        var customer = await new Shopper(fixture.App).SignUpAsync();

        foreach (var id in new[] { 999_999_999, archived.Id })
        {
            using var response = await customer.SendAsync(HttpMethod.Put, $"/api/favourites/{id}");
            var problem = await Shopper.ProblemAsync(HttpStatusCode.NotFound, response);
            Assert.Equal(id, problem.GetProperty("productId").GetInt32());
        }
        using (var zero = await customer.SendAsync(HttpMethod.Put, "/api/favourites/0"))
        {
            var problem = await Shopper.ProblemAsync(HttpStatusCode.BadRequest, zero);
            Assert.True(problem.GetProperty("errors").TryGetProperty("productId", out _));
        }
        foreach (var body in new object[] { new { productIds = new[] { 1, -2 } }, new { productIds = Enumerable.Range(1, 101).ToArray() }, new { } })
        {
            using var response = await customer.SendAsync(HttpMethod.Post, "/api/favourites/merge", body);
            var problem = await Shopper.ProblemAsync(HttpStatusCode.BadRequest, response);
            Assert.True(problem.GetProperty("errors").TryGetProperty("productIds", out _));
        }
        Assert.Empty(Ids(await customer.GetJsonAsync("/api/favourites/ids")));
    }

    [Fact]
    public async Task The_browsers_favourites_merge_into_the_account_newest_first_skipping_unknown_products()
    {
        var kept = await _catalog.CreateProductAsync([2], noun: "Merge Rope");
        var fromBrowser1 = await _catalog.CreateProductAsync([2], noun: "Merge Harness");
        var fromBrowser2 = await _catalog.CreateProductAsync([2], noun: "Merge Chalk Bag");
        try
        {
            var customer = await new Shopper(fixture.App).SignUpAsync();
            (await customer.SendAsync(HttpMethod.Put, $"/api/favourites/{kept.Id}")).Dispose();

            var merged = await customer.PostJsonAsync("/api/favourites/merge",
                new { productIds = new[] { fromBrowser1.Id, kept.Id, 999_999_998, fromBrowser2.Id } });
            Assert.Equal(2, merged.GetProperty("added").GetInt32());
            Assert.Equal([999_999_998], merged.GetProperty("skipped").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([fromBrowser1.Id, fromBrowser2.Id, kept.Id], Ids(merged));
            Assert.Equal([fromBrowser1.Id, fromBrowser2.Id, kept.Id], Ids(await customer.GetJsonAsync("/api/favourites/ids")));

            // Merging the same list again (a second sign-in from that browser) changes nothing.
            var again = await customer.PostJsonAsync("/api/favourites/merge", new { productIds = new[] { fromBrowser1.Id, fromBrowser2.Id } });
            Assert.Equal(0, again.GetProperty("added").GetInt32());
            Assert.Equal(3, (await customer.GetJsonAsync("/api/favourites")).GetProperty("count").GetInt32());
        }
        finally
        {
            await _catalog.ArchiveAsync(kept);
            await _catalog.ArchiveAsync(fromBrowser1);
            await _catalog.ArchiveAsync(fromBrowser2);
        }
    }

    [Fact]
    public async Task A_favourite_sold_out_when_added_shows_back_in_stock_once_stock_returns()
    {
        var product = await _catalog.CreateProductAsync([0, 0], noun: "Restock Headlamp");
        try
        {
            var customer = await new Shopper(fixture.App).SignUpAsync();
            (await customer.SendAsync(HttpMethod.Put, $"/api/favourites/{product.Id}")).Dispose();

            var soldOut = Single(await customer.GetJsonAsync("/api/favourites"));
            Assert.False(soldOut.GetProperty("inStock").GetBoolean());
            Assert.False(soldOut.GetProperty("backInStock").GetBoolean());

            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{product.VariantIds[1]}", new { onHand = 6, reason = "Delivery" });
            var back = Single(await customer.GetJsonAsync("/api/favourites"));
            Assert.True(back.GetProperty("inStock").GetBoolean());
            Assert.True(back.GetProperty("backInStock").GetBoolean());
            Assert.True(Single(await customer.GetJsonAsync("/api/favourites")).GetProperty("backInStock").GetBoolean()); // still, on the next look

            // Sold out again, seen so, then back: the badge comes back too. A favourite in stock all along has none.
            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{product.VariantIds[1]}", new { onHand = 0, reason = "Count" });
            Assert.False(Single(await customer.GetJsonAsync("/api/favourites")).GetProperty("backInStock").GetBoolean());
            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{product.VariantIds[0]}", new { onHand = 2, reason = "Delivery" });
            Assert.True(Single(await customer.GetJsonAsync("/api/favourites")).GetProperty("backInStock").GetBoolean());

            var other = await new Shopper(fixture.App).SignUpAsync();
            (await other.SendAsync(HttpMethod.Put, $"/api/favourites/{product.Id}")).Dispose();
            Assert.False(Single(await other.GetJsonAsync("/api/favourites")).GetProperty("backInStock").GetBoolean());
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Stock_changes_mark_favourites_back_in_stock_for_every_fan_without_a_look_at_the_list()
    {
        var product = await _catalog.CreateProductAsync([2, 1], noun: "Watched Stove");
        try
        {
            var fans = new[] { await new Shopper(fixture.App).SignUpAsync(), await new Shopper(fixture.App).SignUpAsync() };
            foreach (var fan in fans)
            {
                (await fan.SendAsync(HttpMethod.Put, $"/api/favourites/{product.Id}")).Dispose();
            }

            // One variant sold out: the product can still be bought, so nothing is marked (the change's batch passes).
            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{product.VariantIds[0]}", new { onHand = 0, reason = "Count" });
            await Task.Delay(TimeSpan.FromSeconds(2.5), Shopper.Cancellation);
            var beforeSoldOut = DateTimeOffset.UtcNow;
            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{product.VariantIds[1]}", new { onHand = 0, reason = "Count" });
            var soldOut = await Eventually.ReturnsAsync(() => MarksAsync(product.Id),
                marks => marks.Count == 2 && marks.All(m => m.SoldOutSeenAt is not null), TimeSpan.FromSeconds(30), "both fans' favourites marked sold out");
            Assert.All(soldOut, m => Assert.True(m.SoldOutSeenAt > beforeSoldOut.AddSeconds(-1), "marked sold out only once every variant was"));
            Assert.All(soldOut, m => Assert.Null(m.BackInStockAt));

            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/stock/variants/{product.VariantIds[0]}", new { onHand = 3, reason = "Delivery" });
            await Eventually.ReturnsAsync(() => MarksAsync(product.Id),
                marks => marks.All(m => m.BackInStockAt is not null), TimeSpan.FromSeconds(30), "both fans' favourites marked back in stock");

            // The list was never looked at while the product was sold out, and shows the badge.
            foreach (var fan in fans)
            {
                var item = Single(await fan.GetJsonAsync("/api/favourites"));
                Assert.True(item.GetProperty("inStock").GetBoolean());
                Assert.True(item.GetProperty("backInStock").GetBoolean());
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    private async Task<List<(DateTimeOffset? SoldOutSeenAt, DateTimeOffset? BackInStockAt)>> MarksAsync(int productId)
    {
        await using var connection = new NpgsqlConnection(fixture.App.GetConnectionString("orderingdb"));
        await connection.OpenAsync(Shopper.Cancellation);
        await using var command = new NpgsqlCommand("SELECT sold_out_seen_at, back_in_stock_at FROM favourites WHERE product_id = @product", connection);
        command.Parameters.AddWithValue("product", productId);
        await using var reader = await command.ExecuteReaderAsync(Shopper.Cancellation);
        var marks = new List<(DateTimeOffset?, DateTimeOffset?)>();
        while (await reader.ReadAsync(Shopper.Cancellation))
        {
            marks.Add((reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
        }
        return marks;
    }

    [Fact]
    public async Task The_catalog_answers_many_products_with_their_stock_in_one_call_and_refuses_bad_ids()
    {
        var product = await _catalog.CreateProductAsync([0, 5], price: 12m, noun: "Batch Bottle");
        try
        {
            var found = await _catalog.GetJsonAsync($"/api/catalog/availability?productIds={product.Id},999999997");
            var only = Assert.Single(found.EnumerateArray());
            Assert.Equal(product.Id, only.GetProperty("id").GetInt32());
            Assert.True(only.GetProperty("inStock").GetBoolean());
            Assert.Equal([0, 5], only.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("available").GetInt32()));

            foreach (var query in new[] { "", "?productIds=", "?productIds=a", "?productIds=0", "?productIds=" + string.Join(',', Enumerable.Range(1, 101)) })
            {
                using var response = await _catalog.SendAsync(HttpMethod.Get, "/api/catalog/availability" + query);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.True((await CatalogClient.ValidationErrorsAsync(response)).ContainsKey("productIds"));
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    private static List<int> Ids(JsonElement json) => [.. json.GetProperty("productIds").EnumerateArray().Select(e => e.GetInt32())];

    private static JsonElement Single(JsonElement list) => Assert.Single(list.GetProperty("items").EnumerateArray());
}
