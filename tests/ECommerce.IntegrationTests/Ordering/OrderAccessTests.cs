using System.Net;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>Who may see and change which order and cart, and what bad input gets.</summary>
[Collection(AppCollection.Name)]
public sealed class OrderAccessTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    [Fact]
    public async Task A_customer_cannot_read_cancel_or_list_another_customers_orders_and_gets_403_on_admin_endpoints()
    {
        var product = await _catalog.CreateProductAsync([5], noun: "Private Helmet");
        try
        {
            var owner = await new Shopper(fixture.App).SignUpAsync();
            await owner.AddOkAsync(product.VariantIds[0], 1);
            var order = await owner.CheckoutOkAsync();
            var (id, number) = (order.GetProperty("id").GetInt64(), order.GetProperty("number").GetString());

            var other = await new Shopper(fixture.App).SignUpAsync();
            foreach (var (method, path) in new[]
            {
                (HttpMethod.Get, $"/api/orders/{id}"), (HttpMethod.Get, $"/api/orders/by-number/{number}"), (HttpMethod.Post, $"/api/orders/{id}/cancel"),
            })
            {
                using var response = await other.SendAsync(method, path, method == HttpMethod.Post ? new { } : null);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            Assert.Equal(0, (await other.GetJsonAsync("/api/orders")).GetProperty("total").GetInt32());
            Assert.Equal("Paid", (await owner.GetJsonAsync($"/api/orders/{id}")).GetProperty("status").GetString());

            foreach (var (method, path) in new[]
            {
                (HttpMethod.Get, "/api/admin/orders"), (HttpMethod.Post, $"/api/orders/{id}/ship"), (HttpMethod.Post, $"/api/orders/{id}/deliver"),
                (HttpMethod.Get, "/api/sales/daily"),
            })
            {
                using var response = await owner.SendAsync(method, path);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
            using (var anonymous = await new Shopper(fixture.App).SendAsync(HttpMethod.Get, "/api/orders"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }
            // Someone else's cart id does not open their cart: a customer's cart is theirs by account, never by id.
            var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
            Assert.Equal(id, (await admin.GetJsonAsync($"/api/orders/{id}")).GetProperty("id").GetInt64());
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Bad_cart_and_checkout_input_gets_4xx_problems_naming_the_problem()
    {
        var product = await _catalog.CreateProductAsync([3], noun: "Input Belay Device");
        var variant = product.VariantIds[0];
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            foreach (var quantity in new[] { 0, -1, 100, 1_000_000 })
            {
                using var response = await shopper.AddAsync(variant, quantity);
                Assert.Contains("quantity", (await IdentityClient.ValidationErrorsAsync(response)).Keys);
            }
            using (var unknown = await shopper.AddAsync(int.MaxValue, 1))
            {
                Assert.Equal(int.MaxValue, (await Shopper.ProblemAsync(HttpStatusCode.NotFound, unknown)).GetProperty("variantId").GetInt32());
            }
            using (var tooMany = await shopper.AddAsync(variant, 4))
            {
                var problem = await Shopper.ProblemAsync(HttpStatusCode.Conflict, tooMany);
                Assert.Equal(3, problem.GetProperty("available").GetInt32());
            }
            using (var notInCart = await shopper.SendAsync(HttpMethod.Put, $"/api/cart/items/{variant}", new { quantity = 2 }))
            {
                await Shopper.ProblemAsync(HttpStatusCode.NotFound, notInCart);
            }
            var anonymous = new Shopper(fixture.App) { CartId = "not-a-guid" };
            using (var badCartId = await anonymous.SendAsync(HttpMethod.Get, "/api/cart"))
            {
                Assert.Contains("X-Cart-Id", (await IdentityClient.ValidationErrorsAsync(badCartId)).Keys);
            }

            // Checkout: an empty cart, no key, a bad address or card, an unknown payment method.
            using (var empty = await shopper.CheckoutAsync(Guid.NewGuid().ToString()))
            {
                Assert.Equal("The cart is empty", (await Shopper.ProblemAsync(HttpStatusCode.BadRequest, empty)).GetProperty("title").GetString());
            }
            await shopper.AddOkAsync(variant, 1);
            using (var noKey = await shopper.CheckoutAsync(null))
            {
                Assert.Contains("Idempotency-Key", (await IdentityClient.ValidationErrorsAsync(noKey)).Keys);
            }
            using (var badAddress = await shopper.CheckoutAsync(Guid.NewGuid().ToString(), shippingAddress: new { fullName = "A", line1 = "", city = "X", postalCode = "1", country = "NO" }))
            {
                Assert.Contains("shippingAddress.line1", (await IdentityClient.ValidationErrorsAsync(badAddress)).Keys);
            }
            using (var badCard = await shopper.CheckoutAsync(Guid.NewGuid().ToString(), cardNumber: "1234"))
            {
                Assert.Contains("cardNumber", (await IdentityClient.ValidationErrorsAsync(badCard)).Keys);
            }
            using (var badMethod = await shopper.CheckoutAsync(Guid.NewGuid().ToString(), paymentMethod: "barter"))
            {
                Assert.Contains("paymentMethod", (await IdentityClient.ValidationErrorsAsync(badMethod)).Keys);
            }
            // None of them made an order or touched the cart.
            Assert.Equal(0, (await shopper.GetJsonAsync("/api/orders")).GetProperty("total").GetInt32());
            Assert.Equal(1, (await shopper.CartAsync()).GetProperty("itemCount").GetInt32());

            foreach (var path in new[] { "/api/orders?page=0", "/api/orders?pageSize=1000" })
            {
                using var response = await shopper.SendAsync(HttpMethod.Get, path);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }
            var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
            using (var badStatus = await admin.SendAsync(HttpMethod.Get, "/api/admin/orders?status=Lost"))
            {
                Assert.Contains("status", (await IdentityClient.ValidationErrorsAsync(badStatus)).Keys);
            }
            using (var missing = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{long.MaxValue}/ship"))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
            using (var longReason = await shopper.SendAsync(HttpMethod.Post, "/api/orders/1/cancel", new { reason = new string('x', 501) }))
            {
                Assert.Contains("reason", (await IdentityClient.ValidationErrorsAsync(longReason)).Keys);
            }
            using (var cleared = await shopper.SendAsync(HttpMethod.Delete, "/api/cart"))
            {
                Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }
}
