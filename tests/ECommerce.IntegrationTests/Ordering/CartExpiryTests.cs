using System.Net;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>
/// An abandoned cart gives its stock back. A second ordering-api instance with a 5-second reservation idle time
/// (Ordering:Cart:ReservationIdleTime) serves this test, so nothing waits for the real 30 minutes and the shared app
/// keeps its settings.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CartExpiryTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    [Fact]
    public async Task Reservations_of_an_abandoned_cart_expire_and_release_and_checkout_names_the_expired_lines()
    {
        var product = await _catalog.CreateProductAsync([5, 5], noun: "Abandoned Tent Peg");
        var (kept, other) = (product.VariantIds[0], product.VariantIds[1]);
        await using var quickCarts = await SecondInstance.StartAsync(fixture.App, "ordering-api", new Dictionary<string, string>
        {
            ["Ordering__Cart__ReservationIdleTime"] = "00:00:05",
            ["Ordering__DemoHistory__Enabled"] = "false",
        });
        try
        {
            var shopper = await new Shopper(fixture.App, quickCarts.Client).SignUpAsync();
            var cart = await shopper.AddOkAsync(kept, 2);
            var line = PurchaseTests.Line(cart, kept);
            Assert.True(line.GetProperty("reservationExpiresAt").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddSeconds(10));
            Assert.True(line.GetProperty("reserved").GetBoolean());
            await shopper.AddOkAsync(other, 1);
            Assert.Equal(2, (await _catalog.StockAsync(kept)).GetProperty("reserved").GetInt32());

            // Left alone: the catalog's sweeper releases the stock.
            await Eventually.ReturnsAsync(async () => (await _catalog.StockAsync(kept)).GetProperty("reserved").GetInt32() + (await _catalog.StockAsync(other)).GetProperty("reserved").GetInt32(),
                reserved => reserved == 0, TimeSpan.FromSeconds(30), "the abandoned cart's reservations to be released");
            Assert.Equal(5, (await _catalog.StockAsync(kept)).GetProperty("available").GetInt32());

            // The cart still lists the lines, as no longer reserved; checkout names them.
            cart = await shopper.CartAsync();
            Assert.False(PurchaseTests.Line(cart, kept).GetProperty("reserved").GetBoolean());
            using (var refused = await shopper.CheckoutAsync(Guid.NewGuid().ToString()))
            {
                var problem = await Shopper.ProblemAsync(HttpStatusCode.Conflict, refused);
                var lines = problem.GetProperty("lines").EnumerateArray().ToList();
                Assert.Equal([kept, other], lines.Select(l => l.GetProperty("variantId").GetInt32()).Order());
                Assert.All(lines, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("sku").GetString())));
            }

            // Setting the quantity again reserves anew, and checkout goes through.
            using (var renewed = await shopper.SendAsync(HttpMethod.Put, $"/api/cart/items/{kept}", new { quantity = 2 }))
            {
                Assert.True(PurchaseTests.Line(await Shopper.OkJsonAsync(renewed), kept).GetProperty("reserved").GetBoolean());
            }
            using (var removed = await shopper.SendAsync(HttpMethod.Delete, $"/api/cart/items/{other}"))
            {
                await Shopper.OkJsonAsync(removed);
            }
            var order = await shopper.CheckoutOkAsync();
            Assert.Equal(2, order.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
            var stock = await _catalog.StockAsync(kept);
            Assert.Equal((3, 0), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }
}
