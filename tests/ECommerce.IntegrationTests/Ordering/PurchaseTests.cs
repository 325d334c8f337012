using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>The whole purchase path through the running app: browse, cart, checkout, orders, cancel, stock.</summary>
[Collection(AppCollection.Name)]
public sealed class PurchaseTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private Task<(int OnHand, int Reserved, int Available)> StockAsync(int variantId) => _catalog.LevelAsync(variantId);

    [Fact]
    public async Task Browse_add_check_out_see_the_order_cancel_it_and_the_stock_is_restored()
    {
        var product = await _catalog.CreateProductAsync([10, 5], price: 40m, noun: "Purchase Rope");
        var (first, second) = (product.VariantIds[0], product.VariantIds[1]);
        try
        {
            // Browse: the product is in the catalog, as shoppers see it.
            var detail = await _catalog.GetJsonAsync($"/api/catalog/products/{product.Id}");
            Assert.Equal(product.Name, detail.GetProperty("name").GetString());

            // An anonymous shopper fills a cart: the server names the cart, and the stock is reserved at once.
            var shopper = new Shopper(fixture.App);
            var cart = await shopper.AddOkAsync(first, 2);
            Assert.NotNull(shopper.CartId);
            cart = await shopper.AddOkAsync(second, 1);
            cart = await shopper.AddOkAsync(first, 1); // added to the same line
            Assert.Equal(2, cart.GetProperty("lines").GetArrayLength());
            var firstLine = cart.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("variantId").GetInt32() == first);
            Assert.Equal(3, firstLine.GetProperty("quantity").GetInt32());
            Assert.Equal(120m, firstLine.GetProperty("lineTotal").GetDecimal());
            Assert.Equal(product.Name, firstLine.GetProperty("productName").GetString());
            Assert.True(firstLine.GetProperty("reservationExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(20));
            Assert.Equal(4, cart.GetProperty("itemCount").GetInt32());
            Assert.Equal(160m, cart.GetProperty("total").GetDecimal());
            Assert.Equal((10, 3, 7), await StockAsync(first));
            Assert.Equal((5, 1, 4), await StockAsync(second));

            // Lowering a line gives the difference back.
            using (var lowered = await shopper.SendAsync(HttpMethod.Put, $"/api/cart/items/{first}", new { quantity = 2 }))
            {
                Assert.Equal(2, (await Shopper.OkJsonAsync(lowered)).GetProperty("lines").EnumerateArray()
                    .Single(l => l.GetProperty("variantId").GetInt32() == first).GetProperty("quantity").GetInt32());
            }
            Assert.Equal((10, 2, 8), await StockAsync(first));

            // Signing in keeps the cart: the anonymous cart merges into the customer's.
            await shopper.SignUpAsync();
            cart = await shopper.CartAsync();
            Assert.Equal(3, cart.GetProperty("itemCount").GetInt32());
            shopper.CartId = null;
            Assert.Equal(3, (await shopper.CartAsync()).GetProperty("itemCount").GetInt32());

            // Checkout: 201 with the order, paid by card; prices from the catalog; the cart is empty after.
            var order = await shopper.CheckoutOkAsync();
            Assert.Equal("Paid", order.GetProperty("status").GetString());
            Assert.Equal(120m, order.GetProperty("total").GetDecimal());
            Assert.StartsWith("SO-", order.GetProperty("number").GetString());
            Assert.Equal(shopper.UserId, order.GetProperty("customerId").GetString());
            Assert.Equal(["Submitted", "Paid"], order.GetProperty("statusHistory").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
            Assert.Equal("Bergen", order.GetProperty("shippingAddress").GetProperty("city").GetString());
            Assert.Equal("Bergen", order.GetProperty("billingAddress").GetProperty("city").GetString());
            var lines = order.GetProperty("lines").EnumerateArray().ToList();
            Assert.Equal([(first, 2, 40m), (second, 1, 40m)], lines.Select(l => (l.GetProperty("variantId").GetInt32(), l.GetProperty("quantity").GetInt32(), l.GetProperty("unitPrice").GetDecimal())).OrderBy(l => l.Item1));
            Assert.Equal(0, (await shopper.CartAsync()).GetProperty("itemCount").GetInt32());
            Assert.Equal((8, 0, 8), await StockAsync(first));
            Assert.Equal((4, 0, 4), await StockAsync(second));

            // The customer sees it, alone and in the list.
            var id = order.GetProperty("id").GetInt64();
            Assert.Equal(order.GetProperty("number").GetString(), (await shopper.GetJsonAsync($"/api/orders/{id}")).GetProperty("number").GetString());
            Assert.Equal(id, (await shopper.GetJsonAsync($"/api/orders/by-number/{order.GetProperty("number").GetString()}")).GetProperty("id").GetInt64());
            var mine = await shopper.GetJsonAsync("/api/orders");
            Assert.Equal(1, mine.GetProperty("total").GetInt32());
            Assert.Equal(id, mine.GetProperty("items")[0].GetProperty("id").GetInt64());

            // Cancel before shipping: the stock comes back, the history says who and why.
            var cancelled = await shopper.PostJsonAsync($"/api/orders/{id}/cancel", new { reason = "changed my mind" });
            Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
            var last = cancelled.GetProperty("statusHistory").EnumerateArray().Last();
            Assert.Equal(("Cancelled", shopper.Email, "changed my mind"), (last.GetProperty("status").GetString(), last.GetProperty("by").GetString(), last.GetProperty("reason").GetString()));
            Assert.Equal((10, 0, 10), await StockAsync(first));
            Assert.Equal((5, 0, 5), await StockAsync(second));

            // A second cancel is refused by the state machine, and changes nothing.
            using (var again = await shopper.SendAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", new { }))
            {
                await Shopper.ProblemAsync(HttpStatusCode.Conflict, again);
            }
            Assert.Equal((10, 0, 10), await StockAsync(first));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task A_price_changed_or_a_product_withdrawn_after_adding_stops_checkout_and_nothing_is_sold()
    {
        var product = await _catalog.CreateProductAsync([5, 5], price: 40m, noun: "Repriced Harness");
        var withdrawn = await _catalog.CreateProductAsync([3], price: 15m, noun: "Withdrawn Chalk Bag");
        var (first, second, third) = (product.VariantIds[0], product.VariantIds[1], withdrawn.VariantIds[0]);
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            await shopper.AddOkAsync(first, 1);
            await shopper.AddOkAsync(second, 2);
            await _catalog.AdminJsonAsync(HttpMethod.Put, $"/api/catalog/variants/{first}", new { price = 45m });

            // The cart said 40; the catalog says 45 now: nothing is charged or sold, the line is named with both prices.
            using (var refused = await shopper.CheckoutAsync(Guid.NewGuid().ToString()))
            {
                var problem = await Shopper.ProblemAsync(HttpStatusCode.Conflict, refused);
                var line = Assert.Single(problem.GetProperty("lines").EnumerateArray());
                Assert.Equal(first, line.GetProperty("variantId").GetInt32());
                Assert.Contains("40.00 to 45.00", line.GetProperty("problem").GetString());
            }
            Assert.Equal(0, (await shopper.GetJsonAsync("/api/orders")).GetProperty("total").GetInt32());
            Assert.Equal((5, 1, 4), await StockAsync(first));
            Assert.Equal((5, 2, 3), await StockAsync(second));

            // The cart shows the price as it is now; checking out again accepts it.
            var cartLine = PurchaseTests.Line(await shopper.CartAsync(), first);
            Assert.Equal(45m, cartLine.GetProperty("unitPrice").GetDecimal());
            var order = await shopper.CheckoutOkAsync();
            Assert.Equal(125m, order.GetProperty("total").GetDecimal());
            Assert.Equal(45m, order.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("variantId").GetInt32() == first).GetProperty("unitPrice").GetDecimal());
            Assert.Equal((4, 0, 4), await StockAsync(first));

            // A product taken out of the shop after it was added is not sold either.
            await shopper.AddOkAsync(third, 1);
            await _catalog.ArchiveAsync(withdrawn);
            using (var refused = await shopper.CheckoutAsync(Guid.NewGuid().ToString()))
            {
                var problem = await Shopper.ProblemAsync(HttpStatusCode.Conflict, refused);
                Assert.Contains("no longer sold", Assert.Single(problem.GetProperty("lines").EnumerateArray()).GetProperty("problem").GetString());
            }
            Assert.Equal(1, (await shopper.GetJsonAsync("/api/orders")).GetProperty("total").GetInt32());
            Assert.Equal((3, 1, 2), await StockAsync(third));
            using (var removed = await shopper.SendAsync(HttpMethod.Delete, $"/api/cart/items/{third}"))
            {
                await Shopper.OkJsonAsync(removed);
            }
            Assert.Equal((3, 0, 3), await StockAsync(third));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task An_admin_ships_and_delivers_and_a_shipped_order_can_no_longer_be_cancelled()
    {
        var product = await _catalog.CreateProductAsync([3], price: 12.5m, noun: "Lifecycle Sling");
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            await shopper.AddOkAsync(product.VariantIds[0], 2);
            var order = await shopper.CheckoutOkAsync(paymentMethod: "cash");
            Assert.Equal("Submitted", order.GetProperty("status").GetString());
            var id = order.GetProperty("id").GetInt64();

            var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
            // Cash on delivery is not paid yet: it cannot ship before it is paid.
            using (var early = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{id}/deliver"))
            {
                await Shopper.ProblemAsync(HttpStatusCode.Conflict, early);
            }

            var paidByCard = await PlaceCardOrderAsync(shopper, product.VariantIds[0]);
            var shipped = await admin.PostJsonAsync($"/api/orders/{paidByCard}/ship");
            Assert.Equal("Shipped", shipped.GetProperty("status").GetString());
            using (var refused = await shopper.SendAsync(HttpMethod.Post, $"/api/orders/{paidByCard}/cancel", new { }))
            {
                var problem = await Shopper.ProblemAsync(HttpStatusCode.Conflict, refused);
                Assert.Contains("Shipped", problem.GetProperty("detail").GetString());
            }
            var delivered = await admin.PostJsonAsync($"/api/orders/{paidByCard}/deliver");
            Assert.Equal(["Submitted", "Paid", "Shipped", "Delivered"],
                delivered.GetProperty("statusHistory").EnumerateArray().Select(h => h.GetProperty("status").GetString()));

            // The admin list filters by customer and status.
            var list = await admin.GetJsonAsync($"/api/admin/orders?email={Uri.EscapeDataString(shopper.Email!)}&status=Delivered");
            Assert.Equal(1, list.GetProperty("total").GetInt32());
            Assert.Equal(paidByCard, list.GetProperty("items")[0].GetProperty("id").GetInt64());
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task An_anonymous_cart_merges_into_the_customers_cart_adding_quantities_and_keeping_the_reservations()
    {
        var product = await _catalog.CreateProductAsync([10, 10], noun: "Merge Headlamp");
        var (shared, onlyAnonymous) = (product.VariantIds[0], product.VariantIds[1]);
        try
        {
            var anonymous = new Shopper(fixture.App);
            await anonymous.AddOkAsync(shared, 2);
            await anonymous.AddOkAsync(onlyAnonymous, 1);
            var customer = await new Shopper(fixture.App).SignUpAsync();
            await customer.AddOkAsync(shared, 3);

            var merged = await customer.PostJsonAsync("/api/cart/merge", new { cartId = anonymous.CartId });
            Assert.Equal(5, Line(merged, shared).GetProperty("quantity").GetInt32());
            Assert.Equal(1, Line(merged, onlyAnonymous).GetProperty("quantity").GetInt32());
            Assert.Equal((10, 5, 5), await _catalog.LevelAsync(shared));
            Assert.Equal((10, 1, 9), await _catalog.LevelAsync(onlyAnonymous));
            // The anonymous cart is gone (its id now names an empty cart), and nothing was reserved twice.
            Assert.Equal(0, (await anonymous.CartAsync()).GetProperty("itemCount").GetInt32());
            using (var badId = await customer.SendAsync(HttpMethod.Post, "/api/cart/merge", new { cartId = "nope" }))
            {
                Assert.Contains("cartId", (await IdentityClient.ValidationErrorsAsync(badId)).Keys);
            }

            using (var cleared = await customer.SendAsync(HttpMethod.Delete, "/api/cart"))
            {
                Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
            }
            Assert.Equal((10, 0, 10), await _catalog.LevelAsync(shared));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    private static async Task<long> PlaceCardOrderAsync(Shopper shopper, int variantId)
    {
        await shopper.AddOkAsync(variantId, 1);
        return (await shopper.CheckoutOkAsync()).GetProperty("id").GetInt64();
    }

    internal static JsonElement Line(JsonElement cart, int variantId) =>
        cart.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("variantId").GetInt32() == variantId);
}
