using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>Limited stock under a crowd, the same checkout sent twice at once, a declined card, concurrent adds to one cart.</summary>
[Collection(AppCollection.Name)]
public sealed class CheckoutConcurrencyTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private Task<(int OnHand, int Reserved, int Available)> StockAsync(int variantId) => _catalog.LevelAsync(variantId);

    [Fact]
    public async Task Three_hundred_shoppers_race_for_40_units_exactly_40_are_sold_and_every_loser_gets_a_clear_409()
    {
        var product = await _catalog.CreateProductAsync([40], price: 199m, noun: "Limited Ice Axe");
        var variant = product.VariantIds[0];
        try
        {
            var shoppers = Enumerable.Range(0, 300).Select(_ => new Shopper(fixture.App)).ToList();
            var results = await Crowd.AtOnceAsync(shoppers, async shopper =>
            {
                using var response = await shopper.AddAsync(variant, 1);
                return (Shopper: shopper, response.StatusCode, Body: await IdentityClient.ReadJsonAsync(response));
            });

            var winners = results.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
            var losers = results.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
            Assert.Equal(40, winners.Count);
            Assert.All(losers, l =>
            {
                Assert.Equal(HttpStatusCode.Conflict, l.StatusCode);
                Assert.Equal(variant, l.Body.GetProperty("variantId").GetInt32());
                Assert.Equal(0, l.Body.GetProperty("available").GetInt32());
            });
            Assert.Equal((40, 40, 0), await StockAsync(variant));

            // The winners sign up and their carts merge into their accounts; then they all check out at once.
            await Crowd.SignUpAllAsync(winners.Select(w => w.Shopper));
            foreach (var w in winners)
            {
                Assert.Equal(1, (await w.Shopper.CartAsync()).GetProperty("itemCount").GetInt32());
            }
            var orders = await Crowd.AtOnceAsync(winners, w => w.Shopper.CheckoutOkAsync());
            Assert.All(orders, o => Assert.Equal("Paid", o.GetProperty("status").GetString()));
            Assert.Equal(40, orders.Select(o => o.GetProperty("id").GetInt64()).Distinct().Count());
            Assert.Equal((0, 0, 0), await StockAsync(variant));

            // A loser who tries again is told it is sold out; the sales say 40.
            using (var late = await losers[0].Shopper.AddAsync(variant, 1))
            {
                Assert.Equal(0, (await Shopper.ProblemAsync(HttpStatusCode.Conflict, late)).GetProperty("available").GetInt32());
            }
            Assert.Equal(40, await Crowd.UnitsSoldTodayAsync(fixture.App, variant));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_twice_at_the_same_moment_makes_one_order()
    {
        var product = await _catalog.CreateProductAsync([10], price: 30m, noun: "Idempotent Harness");
        var variant = product.VariantIds[0];
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            // Several rounds: a replay once disposed a pooled database reader twice, which broke another request's
            // query now and then (a 500 in one round of many), so one round is not enough to see it.
            const int rounds = 3;
            var key = "";
            long lastOrder = 0;
            for (var round = 1; round <= rounds; round++)
            {
                await shopper.AddOkAsync(variant, 2);
                key = Guid.NewGuid().ToString();
                var results = await Crowd.AtOnceAsync(Enumerable.Range(0, 4), async _ =>
                {
                    using var response = await shopper.CheckoutAsync(key);
                    return (response.StatusCode, Body: await IdentityClient.ReadJsonAsync(response));
                });

                Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Created));
                Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.OK));
                lastOrder = Assert.Single(results.Select(r => r.Body.GetProperty("id").GetInt64()).Distinct());
            }
            var mine = await shopper.GetJsonAsync("/api/orders");
            Assert.Equal(rounds, mine.GetProperty("total").GetInt32());
            Assert.Equal((10 - 2 * rounds, 0, 10 - 2 * rounds), await StockAsync(variant));

            // Later, the last key still answers its order; the same key for a different checkout is refused.
            using (var replay = await shopper.CheckoutAsync(key))
            {
                Assert.Equal(lastOrder, (await Shopper.OkJsonAsync(replay)).GetProperty("id").GetInt64());
            }
            using (var reused = await shopper.CheckoutAsync(key, paymentMethod: "cash"))
            {
                await Shopper.ProblemAsync(HttpStatusCode.UnprocessableEntity, reused);
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task A_declined_card_leaves_a_cancelled_order_and_the_cart_still_reserved_to_pay_another_way()
    {
        var product = await _catalog.CreateProductAsync([6], price: 55m, noun: "Declined Crampons");
        var variant = product.VariantIds[0];
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            await shopper.AddOkAsync(variant, 4);
            Assert.Equal((6, 4, 2), await StockAsync(variant));

            var declinedKey = Guid.NewGuid().ToString();
            using var declined = await shopper.CheckoutAsync(declinedKey, cardNumber: Shopper.DecliningCard);
            var problem = await Shopper.ProblemAsync(HttpStatusCode.PaymentRequired, declined);
            Assert.Equal("Payment declined", problem.GetProperty("title").GetString());

            // Nothing sold, and the cart keeps its stock for another try.
            Assert.Equal((6, 4, 2), await StockAsync(variant));
            Assert.Equal(4, (await shopper.CartAsync()).GetProperty("itemCount").GetInt32());
            var mine = await shopper.GetJsonAsync("/api/orders");
            var order = Assert.Single(mine.GetProperty("items").EnumerateArray());
            Assert.Equal("Cancelled", order.GetProperty("status").GetString());
            Assert.Equal(problem.GetProperty("orderId").GetInt64(), order.GetProperty("id").GetInt64());
            Assert.DoesNotContain(order.GetProperty("statusHistory").EnumerateArray(), h => h.GetProperty("status").GetString() == "Paid");
            Assert.Equal("payment declined", order.GetProperty("statusHistory").EnumerateArray().Last().GetProperty("reason").GetString());

            // The same attempt sent again gets the same answer; a new attempt with a good card goes through.
            using (var replayed = await shopper.CheckoutAsync(declinedKey, cardNumber: Shopper.DecliningCard))
            {
                Assert.Equal(problem.GetProperty("orderId").GetInt64(), (await Shopper.ProblemAsync(HttpStatusCode.PaymentRequired, replayed)).GetProperty("orderId").GetInt64());
            }
            var paid = await shopper.CheckoutOkAsync();
            Assert.Equal("Paid", paid.GetProperty("status").GetString());
            Assert.Equal(4, Assert.Single(paid.GetProperty("lines").EnumerateArray()).GetProperty("quantity").GetInt32());
            Assert.Equal((2, 0, 2), await StockAsync(variant));

            // Only the paid order counts in the daily sales.
            Assert.Equal(4, await Crowd.UnitsSoldTodayAsync(fixture.App, variant));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Concurrent_adds_to_one_cart_lose_no_line_and_hold_exactly_what_the_cart_shows()
    {
        var products = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _catalog.CreateProductAsync([9, 9, 9, 9, 9, 9], noun: "Busy Cart Quickdraw")));
        var variants = products.SelectMany(p => p.VariantIds).ToList();
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            // Each variant twice (1 + 2 units), all at once.
            var adds = await Crowd.AtOnceAsync(variants.SelectMany(v => new[] { (v, 1), (v, 2) }), async add =>
            {
                using var response = await shopper.AddAsync(add.Item1, add.Item2);
                return response.StatusCode;
            });
            Assert.All(adds, status => Assert.Equal(HttpStatusCode.OK, status));

            var cart = await shopper.CartAsync();
            Assert.Equal(18, cart.GetProperty("lines").GetArrayLength());
            Assert.All(cart.GetProperty("lines").EnumerateArray(), l => Assert.Equal(3, l.GetProperty("quantity").GetInt32()));
            foreach (var variant in variants)
            {
                Assert.Equal((9, 3, 6), await StockAsync(variant));
            }

            // Emptying the cart gives all of it back, once.
            using (var cleared = await shopper.SendAsync(HttpMethod.Delete, "/api/cart"))
            {
                Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
            }
            foreach (var variant in variants)
            {
                Assert.Equal((9, 0, 9), await StockAsync(variant));
            }
        }
        finally
        {
            foreach (var product in products)
            {
                await _catalog.ArchiveAsync(product);
            }
        }
    }
}
