using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using Npgsql;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>
/// A sale the catalog committed whose order was never written (ordering-api died between the two) gets its stock back.
/// The crash is played by committing a cart's reservations in the catalog as an admin, under an order number no order
/// has. A second ordering-api instance looks for such sales every second, 3 seconds after the fact
/// (Ordering:Reconciler), so nothing waits for the real 15 minutes.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SaleReconcilerTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    [Fact]
    public async Task A_sale_without_an_order_is_returned_and_real_orders_and_taken_over_sales_are_left_alone()
    {
        var product = await _catalog.CreateProductAsync([5, 5, 5], noun: "Orphan Trekking Pole");
        var (ordered, orphaned, retried) = (product.VariantIds[0], product.VariantIds[1], product.VariantIds[2]);
        try
        {
            // A real order.
            var buyer = await new Shopper(fixture.App).SignUpAsync();
            await buyer.AddOkAsync(ordered, 2);
            await buyer.CheckoutOkAsync();

            // A cart whose sale the catalog committed, and then nothing: its order was never written.
            var lost = await new Shopper(fixture.App).SignUpAsync();
            var lostCart = await lost.AddOkAsync(orphaned, 3);
            var lostHolds = await ActiveHoldsAsync(lostCart);
            await CommitAsAdminAsync(lostHolds, "SO-90000001");

            // The same, but the shopper checked out again before anyone looked: that order takes the sale over.
            var back = await new Shopper(fixture.App).SignUpAsync();
            var backCart = await back.AddOkAsync(retried, 1);
            var backHolds = await ActiveHoldsAsync(backCart);
            await CommitAsAdminAsync(backHolds, "SO-90000002");
            var order = await back.CheckoutOkAsync();
            var number = order.GetProperty("number").GetString();
            Assert.Equal(number, (await ReservationAsync(backHolds[0])).GetProperty("reference").GetString());

            Assert.Equal((2, 0, 2), await _catalog.LevelAsync(orphaned));
            await using var reconciler = await SecondInstance.StartAsync(fixture.App, "ordering-api", new Dictionary<string, string>
            {
                ["Ordering__Reconciler__Interval"] = "00:00:01",
                ["Ordering__Reconciler__Grace"] = "00:00:03",
                ["Ordering__DemoHistory__Enabled"] = "false",
            });

            // The lost sale's stock is back on hand, and its reservations are returned.
            await Eventually.ReturnsAsync(() => _catalog.LevelAsync(orphaned), level => level == (5, 0, 5), TimeSpan.FromSeconds(60),
                "the stock of the sale without an order to come back");
            foreach (var id in lostHolds)
            {
                Assert.Equal("returned", (await ReservationAsync(id)).GetProperty("status").GetString());
            }

            // Runs go on (one more at least): the real orders' stock stays sold.
            await Task.Delay(TimeSpan.FromSeconds(5), Shopper.Cancellation);
            Assert.Equal((3, 0, 3), await _catalog.LevelAsync(ordered));
            Assert.Equal((4, 0, 4), await _catalog.LevelAsync(retried));
            Assert.Equal("committed", (await ReservationAsync(backHolds[0])).GetProperty("status").GetString());

            // The shopper who lost the order is told at checkout that the line is no longer reserved.
            using var refused = await lost.CheckoutAsync(Guid.NewGuid().ToString());
            var problem = await Shopper.ProblemAsync(HttpStatusCode.Conflict, refused);
            Assert.Equal(orphaned, Assert.Single(problem.GetProperty("lines").EnumerateArray()).GetProperty("variantId").GetInt32());
        }
        finally
        {
            await _catalog.ArchiveAsync(product); // out of other tests' searches
        }
    }

    /// <summary>The catalog reservations ordering-api holds for a cart (read from catalogdb: no API lists another's holds).</summary>
    private async Task<List<Guid>> ActiveHoldsAsync(JsonElement cart)
    {
        await using var connection = new NpgsqlConnection(fixture.App.GetConnectionString("catalogdb"));
        await connection.OpenAsync(Shopper.Cancellation);
        await using var command = new NpgsqlCommand("SELECT id FROM reservations WHERE owner = @owner AND status = 'active' ORDER BY id", connection);
        command.Parameters.AddWithValue("owner", $"cart:{cart.GetProperty("id").GetGuid()}");
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(Shopper.Cancellation);
        while (await reader.ReadAsync(Shopper.Cancellation))
        {
            ids.Add(reader.GetGuid(0));
        }
        Assert.NotEmpty(ids);
        return ids;
    }

    private async Task CommitAsAdminAsync(List<Guid> ids, string reference)
    {
        using var committed = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/stock/reservations/commit", new { ids, reference });
        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
    }

    private Task<JsonElement> ReservationAsync(Guid id) =>
        _catalog.AdminJsonAsync(HttpMethod.Get, $"/api/stock/reservations/{id}", null);
}
