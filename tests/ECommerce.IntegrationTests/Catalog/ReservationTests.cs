using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>Reservations: never oversold under concurrency, all lines or none, and every way back (release, expiry, commit).</summary>
[Collection(AppCollection.Name)]
public sealed class ReservationTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private async Task<(int OnHand, int Reserved, int Available)> LevelAsync(int variantId)
    {
        var stock = await _catalog.StockAsync(variantId);
        return (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32());
    }

    private async Task<int> AvailableToShoppersAsync(TestProduct product, int variantId) =>
        (await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}")).GetProperty("variants").EnumerateArray()
            .Single(v => v.GetProperty("id").GetInt32() == variantId).GetProperty("available").GetInt32();

    [Fact]
    public async Task Two_hundred_concurrent_reservations_of_a_variant_with_50_available_hold_exactly_50()
    {
        var product = await _catalog.CreateProductAsync([50]);
        var variant = product.VariantIds[0];
        await _catalog.AdminTokenAsync();
        try
        {
            using var start = new SemaphoreSlim(0);
            var requests = Enumerable.Range(0, 200).Select(async i =>
            {
                await start.WaitAsync(CatalogClient.Cancellation);
                using var response = await _catalog.ReserveAsync($"cart:race-{i}", [(variant, 1)]);
                return (response.StatusCode, Id: response.StatusCode == HttpStatusCode.Created ? (await CatalogClient.ReadAsync(response)).GetProperty("id").GetGuid() : Guid.Empty);
            }).ToList();
            start.Release(200);
            var results = await Task.WhenAll(requests);

            Assert.Equal(50, results.Count(r => r.StatusCode == HttpStatusCode.Created));
            Assert.Equal(150, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            Assert.Equal((50, 50, 0), await LevelAsync(variant));
            Assert.Equal(0, await AvailableToShoppersAsync(product, variant));

            // One more is refused, and says how much is available.
            using (var refused = await _catalog.ReserveAsync("cart:late", [(variant, 1)]))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                var shortage = (await CatalogClient.ReadAsync(refused)).GetProperty("shortages")[0];
                Assert.Equal((variant, 1, 0), (shortage.GetProperty("variantId").GetInt32(), shortage.GetProperty("requested").GetInt32(), shortage.GetProperty("available").GetInt32()));
            }

            // Releasing them all, concurrently too, gives every unit back.
            await Task.WhenAll(results.Where(r => r.StatusCode == HttpStatusCode.Created).Select(async r =>
            {
                using var released = await _catalog.AsAdminAsync(HttpMethod.Delete, $"/api/stock/reservations/{r.Id}");
                Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
            }));
            Assert.Equal((50, 0, 50), await LevelAsync(variant));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task A_reservation_holds_all_its_lines_or_none()
    {
        var product = await _catalog.CreateProductAsync([5, 1]);
        var (plenty, scarce) = (product.VariantIds[0], product.VariantIds[1]);
        try
        {
            using var refused = await _catalog.ReserveAsync("cart:all-or-none", [(plenty, 2), (scarce, 2)]);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await CatalogClient.ReadAsync(refused);
            var shortage = Assert.Single(problem.GetProperty("shortages").EnumerateArray());
            Assert.Equal((scarce, 2, 1), (shortage.GetProperty("variantId").GetInt32(), shortage.GetProperty("requested").GetInt32(), shortage.GetProperty("available").GetInt32()));
            Assert.Equal((5, 0, 5), await LevelAsync(plenty));
            Assert.Equal((1, 0, 1), await LevelAsync(scarce));

            // Lines of the same variant add up; both fit together.
            var id = await _catalog.ReserveOkAsync("cart:all-or-none", [(plenty, 2), (scarce, 1), (plenty, 3)]);
            Assert.Equal((5, 5, 0), await LevelAsync(plenty));
            Assert.Equal((1, 1, 0), await LevelAsync(scarce));
            var reservation = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/reservations/{id}", null);
            Assert.Equal("active", reservation.GetProperty("status").GetString());
            Assert.Equal([(plenty, 5), (scarce, 1)], reservation.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("variantId").GetInt32(), l.GetProperty("quantity").GetInt32())));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Releasing_gives_the_stock_back_once()
    {
        var product = await _catalog.CreateProductAsync([10]);
        var variant = product.VariantIds[0];
        try
        {
            var id = await _catalog.ReserveOkAsync("cart:release", [(variant, 4)]);
            Assert.Equal(6, await AvailableToShoppersAsync(product, variant));

            for (var i = 0; i < 2; i++)
            {
                using var released = await _catalog.AsAdminAsync(HttpMethod.Delete, $"/api/stock/reservations/{id}");
                Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
                Assert.Equal((10, 0, 10), await LevelAsync(variant));
            }
            Assert.Equal(10, await AvailableToShoppersAsync(product, variant));

            using var commit = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/commit", new { });
            Assert.Equal(HttpStatusCode.Conflict, commit.StatusCode);
            using var unknown = await _catalog.AsAdminAsync(HttpMethod.Delete, $"/api/stock/reservations/{Guid.NewGuid()}");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Expired_reservations_are_released_by_the_sweeper()
    {
        var product = await _catalog.CreateProductAsync([3]);
        var variant = product.VariantIds[0];
        try
        {
            var id = await _catalog.ReserveOkAsync("cart:expiring", [(variant, 3)], expiresInSeconds: 3);
            using var kept = await _catalog.ReserveAsync("cart:other", [(variant, 1)]);
            Assert.Equal(HttpStatusCode.Conflict, kept.StatusCode);

            await Eventually.ReturnsAsync(
                async () => (await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/reservations/{id}", null)).GetProperty("status").GetString(),
                status => status == "expired", TimeSpan.FromSeconds(30), "the reservation to expire");
            Assert.Equal((3, 0, 3), await LevelAsync(variant));
            Assert.Equal(3, await AvailableToShoppersAsync(product, variant));

            using var commit = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/commit", new { });
            Assert.Equal(HttpStatusCode.Conflict, commit.StatusCode);
            using var extend = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/extend", new { expiresInSeconds = 600 });
            Assert.Equal(HttpStatusCode.Conflict, extend.StatusCode);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Extending_keeps_a_reservation_past_its_first_expiry()
    {
        var product = await _catalog.CreateProductAsync([2]);
        var variant = product.VariantIds[0];
        try
        {
            var id = await _catalog.ReserveOkAsync("cart:extend", [(variant, 2)], expiresInSeconds: 4);
            var extended = await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/extend", new { expiresInSeconds = 600 });
            Assert.True(extended.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(5));

            await Task.Delay(TimeSpan.FromSeconds(7), CatalogClient.Cancellation); // past the first expiry and a few sweeps
            var reservation = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/reservations/{id}", null);
            Assert.Equal("active", reservation.GetProperty("status").GetString());
            Assert.Equal((2, 2, 0), await LevelAsync(variant));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Committing_turns_reserved_stock_into_a_sale()
    {
        var product = await _catalog.CreateProductAsync([8]);
        var variant = product.VariantIds[0];
        try
        {
            var id = await _catalog.ReserveOkAsync("order:commit-test", [(variant, 3)]);
            Assert.Equal((8, 3, 5), await LevelAsync(variant));

            var committed = await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/commit", new { reference = "order:1042" });
            Assert.Equal("committed", committed.GetProperty("status").GetString());
            Assert.Equal((5, 0, 5), await LevelAsync(variant));
            Assert.Equal(5, await AvailableToShoppersAsync(product, variant));

            var sale = (await _catalog.StockAsync(variant)).GetProperty("movements")[0];
            Assert.Equal(("sale", -3, 5, "order:1042"), (sale.GetProperty("kind").GetString(), sale.GetProperty("quantity").GetInt32(), sale.GetProperty("onHandAfter").GetInt32(), sale.GetProperty("reference").GetString()));
            Assert.False(string.IsNullOrEmpty(sale.GetProperty("actor").GetString()));

            // A repeated commit (a retry) changes nothing; releasing a sale is refused.
            using (var again = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/commit", new { }))
            {
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            }
            Assert.Equal((5, 0, 5), await LevelAsync(variant));
            using var release = await _catalog.AsAdminAsync(HttpMethod.Delete, $"/api/stock/reservations/{id}");
            Assert.Equal(HttpStatusCode.Conflict, release.StatusCode);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Committed_sales_move_a_product_up_the_best_selling_list()
    {
        var product = await _catalog.CreateProductAsync([5000]);
        try
        {
            var id = await _catalog.ReserveOkAsync("order:bestseller", [(product.VariantIds[0], 5000)]);
            await _catalog.AdminJsonAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/commit", new { });
            var page = await _catalog.ListAsync($"category={CatalogClient.TestCategory}&sort=best-selling&pageSize=3");
            Assert.Equal(product.Id, page.GetProperty("items")[0].GetProperty("id").GetInt32());
            Assert.False(page.GetProperty("items")[0].GetProperty("inStock").GetBoolean());
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task The_same_reservation_id_sent_twice_reserves_once()
    {
        var product = await _catalog.CreateProductAsync([5]);
        var variant = product.VariantIds[0];
        // A reservation made (201), then the same request again (a retry): 200 with that reservation.
        async Task ReserveThenRetryAsync(Guid id, int quantity)
        {
            using (var first = await _catalog.ReserveAsync("cart:retry", [(variant, quantity)], id: id))
            {
                Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            }
            using var second = await _catalog.ReserveAsync("cart:retry", [(variant, quantity)], id: id);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal(id, (await CatalogClient.ReadAsync(second)).GetProperty("id").GetGuid());
        }

        try
        {
            var id = Guid.NewGuid();
            await ReserveThenRetryAsync(id, 2);
            using (var different = await _catalog.ReserveAsync("cart:someone-else", [(variant, 1)], id: id))
            {
                Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
            }
            Assert.Equal((5, 2, 3), await LevelAsync(variant));

            // A retry of the reservation that took the last units: that reservation, not "none available".
            await ReserveThenRetryAsync(Guid.NewGuid(), 3);
            Assert.Equal((5, 5, 0), await LevelAsync(variant));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Archived_products_cannot_be_reserved()
    {
        var product = await _catalog.CreateProductAsync([5]);
        await _catalog.ArchiveAsync(product);
        using var response = await _catalog.ReserveAsync("cart:archived", [(product.VariantIds[0], 1)]);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Bad_reservations_are_400_naming_the_field()
    {
        using (var response = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/stock/reservations", new { owner = "", lines = new[] { new { variantId = 1, quantity = 0 } } }))
        {
            var errors = await CatalogClient.ValidationErrorsAsync(response);
            Assert.Equal(["lines[0].quantity", "owner"], errors.Keys.Order());
        }
        using (var response = await _catalog.ReserveAsync("cart:x", [(999_999, 1)]))
        {
            Assert.Contains("lines", (await CatalogClient.ValidationErrorsAsync(response)).Keys);
        }
        using (var response = await _catalog.ReserveAsync("cart:x", [(1, 1)], expiresInSeconds: 0))
        {
            Assert.Contains("expiresInSeconds", (await CatalogClient.ValidationErrorsAsync(response)).Keys);
        }
    }

    [Fact]
    public async Task Reservations_are_for_the_service_identity_or_an_admin_not_shoppers()
    {
        var body = new { owner = "cart:sneaky", lines = new[] { new { variantId = 1, quantity = 1 } } };
        using (var anonymous = await _catalog.SendAsync(HttpMethod.Post, "/api/stock/reservations", null, body))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var customer = await _catalog.SendAsync(HttpMethod.Post, "/api/stock/reservations", await _catalog.CustomerTokenAsync(), body))
        {
            Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        }

        // A service token without the stock scope (the forecaster's) is refused too.
        var identity = new IdentityClient(fixture.App);
        var (clientId, secret) = fixture.App.GetCredentials("forecast-worker-client");
        using var issued = await identity.PostAsync("/api/identity/service-token", new { clientId, clientSecret = secret });
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, issued);
        var serviceToken = (await IdentityClient.ReadJsonAsync(issued)).GetProperty("accessToken").GetString();
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/stock/reservations"), (HttpMethod.Delete, $"/api/stock/reservations/{Guid.NewGuid()}"), (HttpMethod.Post, $"/api/stock/reservations/{Guid.NewGuid()}/commit") })
        {
            using var response = await _catalog.SendAsync(method, path, serviceToken, body);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task Committed_reservations_list_the_callers_own_page_by_page_and_a_return_can_require_their_reference()
    {
        var product = await _catalog.CreateProductAsync([10]);
        var variant = product.VariantIds[0];
        try
        {
            var first = await _catalog.ReserveOkAsync("cart:listing", [(variant, 1)]);
            var second = await _catalog.ReserveOkAsync("cart:listing", [(variant, 1)]);
            var third = await _catalog.ReserveOkAsync("cart:listing", [(variant, 1)]);
            var since = DateTimeOffset.UtcNow; // after the earlier tests' commits (the tests run one at a time), before these
            await CommitAsync([first, second], "SO-LIST-1");
            await CommitAsync([third], "SO-LIST-2");

            // In commit order (one commit's reservations by id), a page at a time, from where the last page ended.
            var page = await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/reservations/committed?from={At(since)}&limit=2", null);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(new[] { first, second }.Order(), items.Select(i => i.GetProperty("id").GetGuid()));
            Assert.All(items, i => Assert.Equal(("cart:listing", "SO-LIST-1"), (i.GetProperty("owner").GetString(), i.GetProperty("reference").GetString())));
            Assert.True(page.GetProperty("more").GetBoolean());
            var last = items[^1];
            page = await _catalog.AdminJsonAsync(HttpMethod.Get,
                $"/api/stock/reservations/committed?from={Uri.EscapeDataString(last.GetProperty("committedAt").GetString()!)}&afterId={last.GetProperty("id").GetGuid()}&limit=2", null);
            Assert.Equal(third, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
            Assert.False(page.GetProperty("more").GetBoolean());

            // Customers may not look; bad parameters are named.
            using (var customer = await _catalog.SendAsync(HttpMethod.Get, $"/api/stock/reservations/committed?from={At(since)}", await _catalog.CustomerTokenAsync()))
            {
                Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
            }
            using (var bad = await _catalog.AsAdminAsync(HttpMethod.Get, "/api/stock/reservations/committed?from=yesterday&afterId=x&limit=0"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
                Assert.Equal(["afterId", "from", "limit"], (await CatalogClient.ValidationErrorsAsync(bad)).Keys.Order());
            }

            // A return that requires the reference is refused under another one, and goes through under its own.
            using (var refused = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/stock/reservations/return", new { ids = new[] { third }, reference = "SO-LIST-1", requireReference = true }))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            }
            Assert.Equal((7, 0, 7), await LevelAsync(variant));
            using (var returned = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/stock/reservations/return", new { ids = new[] { third }, reference = "SO-LIST-2", requireReference = true }))
            {
                Assert.Equal(HttpStatusCode.NoContent, returned.StatusCode);
            }
            Assert.Equal((8, 0, 8), await LevelAsync(variant));

            // Committing again under another reference sells nothing more and moves the sale to that reference.
            await CommitAsync([first, second], "SO-LIST-3");
            Assert.Equal((8, 0, 8), await LevelAsync(variant));
            Assert.Equal("SO-LIST-3", (await _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/reservations/{first}", null)).GetProperty("reference").GetString());
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    private static string At(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private async Task CommitAsync(Guid[] ids, string reference)
    {
        using var committed = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/stock/reservations/commit", new { ids, reference });
        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
    }
}
