using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Forecast;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using ECommerce.IntegrationTests.Ordering;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Replicas;

/// <summary>
/// Two replicas of every API, each called by its own address: stock, orders, sign-ins and background work stay right
/// whichever replica a request meets, and losing one replica under load loses no order.
/// </summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaTests(ReplicasFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);
    private readonly IdentityClient _identity = new(fixture.App);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private IReadOnlyList<HttpClient> Ordering => fixture.Clients("ordering-api");

    [Fact]
    public async Task Three_hundred_shoppers_spread_over_both_ordering_replicas_never_buy_more_than_the_stock()
    {
        var product = await _catalog.CreateProductAsync([30], price: 99m, noun: "Replicated Headlamp");
        var variant = product.VariantIds[0];
        try
        {
            // Every other shopper talks to the other ordering replica; each replica reserves through both catalog replicas.
            var shoppers = Enumerable.Range(0, 300).Select(i => new Shopper(fixture.App, Ordering[i % 2])).ToList();
            var results = await Crowd.AtOnceAsync(shoppers, async shopper =>
            {
                using var response = await shopper.AddAsync(variant, 1);
                return (Shopper: shopper, response.StatusCode, Body: await response.Content.ReadAsStringAsync(Cancellation));
            });

            // Never more than the stock. A loser is told it is sold out (409), or, where the spike outran a replica's
            // call to catalog-api (its time-out or circuit breaker), to try again shortly (503 with Retry-After); trying
            // again, it is told it is sold out.
            var winners = results.Where(r => r.StatusCode == HttpStatusCode.OK).Select(r => r.Shopper).ToList();
            Assert.InRange(winners.Count, 1, 30);
            Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK),
                r => Assert.True(r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable, $"{r.StatusCode}: {r.Body}"));
            Assert.Equal((30, 30, 0), await _catalog.LevelAsync(variant));
            // After Retry-After (5 s): the breaker a replica's catalog-api client opened in the spike is closed again.
            foreach (var retry in results.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).Take(20))
            {
                await Eventually.ReturnsAsync(async () =>
                {
                    using var again = await retry.Shopper.AddAsync(variant, 1);
                    Assert.NotEqual(HttpStatusCode.OK, again.StatusCode);
                    return again.StatusCode;
                }, status => status == HttpStatusCode.Conflict, TimeSpan.FromSeconds(15), "a shopper told to try again to be told it is sold out");
            }
            TestContext.Current.SendDiagnosticMessage($"300 shoppers: {winners.Count} won, "
                + $"{results.Count(r => r.StatusCode == HttpStatusCode.Conflict)} sold out, {results.Count(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)} try again");

            await Crowd.SignUpAllAsync(winners);
            var orders = await Crowd.AtOnceAsync(winners, w => w.CheckoutOkAsync());
            Assert.Equal(winners.Count, orders.Select(o => o.GetProperty("id").GetInt64()).Distinct().Count());
            Assert.All(orders, o => Assert.Equal("Paid", o.GetProperty("status").GetString()));
            // Exactly the stock: what was sold, and what a reservation still holds whose caller gave up on it (a reply
            // the time-out cut off; released when it expires), make 30.
            var unsold = 30 - winners.Count;
            Assert.Equal((unsold, unsold, 0), await _catalog.LevelAsync(variant));
            Assert.Equal(winners.Count, await Crowd.UnitsSoldTodayAsync(fixture.App, variant));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_to_both_ordering_replicas_at_once_makes_one_order()
    {
        var product = await _catalog.CreateProductAsync([10], price: 45m, noun: "Replicated Harness");
        var variant = product.VariantIds[0];
        try
        {
            var shopper = await new Shopper(fixture.App).SignUpAsync();
            for (var round = 1; round <= 2; round++)
            {
                await shopper.AddOkAsync(variant, 2);
                var key = Guid.NewGuid().ToString();
                var results = await Crowd.AtOnceAsync(Enumerable.Range(0, 4), async i =>
                {
                    using var response = await SendAsync(Ordering[i % 2], HttpMethod.Post, "/api/orders", shopper.Token, CheckoutBody(), key);
                    return (response.StatusCode, Body: await IdentityClient.ReadJsonAsync(response));
                });

                Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Created));
                Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.OK));
                Assert.Single(results.Select(r => r.Body.GetProperty("id").GetInt64()).Distinct());
            }
            Assert.Equal(2, (await shopper.GetJsonAsync("/api/orders")).GetProperty("total").GetInt32());
            Assert.Equal((6, 0, 6), await _catalog.LevelAsync(variant));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task A_sign_in_on_one_replica_works_on_every_replica_of_every_service()
    {
        var email = IdentityClient.NewEmail("replica");
        using (var register = await SendAsync(Ordering[0], HttpMethod.Post, "/api/identity/register", null, new { email, password = IdentityClient.StrongPassword }))
        {
            await IdentityClient.ExpectAsync(HttpStatusCode.Created, register);
        }
        var tokens = await LoginAsync(Ordering[0], email);

        foreach (var service in ReplicasFixture.Services)
        {
            foreach (var replica in fixture.Clients(service))
            {
                Assert.Equal(HttpStatusCode.OK, await MeAsync(replica, tokens.AccessToken));
            }
        }
        // The refresh token issued by one replica is redeemed by the other, and the new access token works on the first.
        using var refresh = await SendAsync(Ordering[1], HttpMethod.Post, "/api/identity/refresh", null, new { refreshToken = tokens.RefreshToken });
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, refresh);
        var refreshed = (await refresh.Content.ReadFromJsonAsync<Tokens>(Cancellation))!;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(Ordering[0], refreshed.AccessToken));
    }

    [Fact]
    public async Task A_logout_on_one_replica_is_refused_by_every_replica_of_every_service()
    {
        var (email, _, signedIn) = await _identity.NewCustomerAsync();
        var otherDevice = await LoginAsync(Ordering[0], email);

        using (var logout = await SendAsync(Ordering[1], HttpMethod.Post, "/api/identity/logout", signedIn.AccessToken, new { }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        foreach (var service in ReplicasFixture.Services)
        {
            foreach (var replica in fixture.Clients(service))
            {
                await Eventually.ReturnsAsync(() => MeAsync(replica, signedIn.AccessToken), status => status == HttpStatusCode.Unauthorized,
                    TimeSpan.FromSeconds(5), $"{service} at {replica.BaseAddress} to refuse the token of the ended sign-in");
                Assert.Equal(HttpStatusCode.OK, await MeAsync(replica, otherDevice.AccessToken));
            }
        }
        using var refresh = await SendAsync(Ordering[0], HttpMethod.Post, "/api/identity/refresh", null, new { refreshToken = signedIn.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task Expired_reservations_made_on_both_catalog_replicas_are_released_exactly_once()
    {
        var product = await _catalog.CreateProductAsync([40]);
        var variant = product.VariantIds[0];
        try
        {
            var catalog = fixture.Clients("catalog-api");
            var token = await _catalog.AdminTokenAsync();
            // Twenty reservations of two, made on either replica; both replicas sweep every few seconds.
            var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            {
                using var response = await SendAsync(catalog[i % 2], HttpMethod.Post, "/api/stock/reservations", token, new
                {
                    owner = $"cart:replica-{i}",
                    lines = new[] { new { variantId = variant, quantity = 2 } },
                    expiresInSeconds = 2,
                });
                await IdentityClient.ExpectAsync(HttpStatusCode.Created, response);
                return (await IdentityClient.ReadJsonAsync(response)).GetProperty("id").GetGuid();
            }));
            Assert.Equal((40, 40, 0), await _catalog.LevelAsync(variant));

            // Each released once: a reservation released twice would leave more available than on hand.
            await Eventually.ReturnsAsync(() => _catalog.LevelAsync(variant), level => level.Reserved == 0, TimeSpan.FromSeconds(30), "the reservations to expire");
            await Task.Delay(TimeSpan.FromSeconds(3), Cancellation); // a few more sweeps on both replicas
            Assert.Equal((40, 0, 40), await _catalog.LevelAsync(variant));
            for (var i = 0; i < ids.Length; i++)
            {
                using var response = await SendAsync(catalog[(i + 1) % 2], HttpMethod.Get, $"/api/stock/reservations/{ids[i]}", token);
                Assert.Equal("expired", (await Shopper.OkJsonAsync(response)).GetProperty("status").GetString());
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Forecast_runs_asked_of_both_replicas_at_once_are_done_one_at_a_time_and_once()
    {
        var forecasts = new ForecastClient(fixture.App);
        await forecasts.RunAndWaitAsync(TimeSpan.FromMinutes(4)); // nothing left under way from the start
        var token = await forecasts.AdminTokenAsync();
        var replicas = fixture.Clients("forecast-worker");

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await SendAsync(replicas[i % 2], HttpMethod.Post, "/api/forecasts/runs", token);
            await IdentityClient.ExpectAsync(HttpStatusCode.Accepted, response);
            return (await IdentityClient.ReadJsonAsync(response)).GetProperty("id").GetInt64();
        }));
        var distinct = ids.Distinct().Order().ToList();
        Assert.True(distinct.Count <= 2, $"runs asked for at once: {string.Join(", ", distinct)}");

        var runs = new List<JsonElement>();
        foreach (var id in distinct)
        {
            var run = await Eventually.ReturnsAsync(() => forecasts.AdminGetAsync($"/api/forecasts/runs/{id}"),
                r => r.GetProperty("status").GetString() is "complete" or "failed", TimeSpan.FromMinutes(4), $"run {id} to finish");
            Assert.Equal("complete", run.GetProperty("status").GetString());
            Assert.Equal(1, run.GetProperty("attempts").GetInt32());
            runs.Add(run);
        }
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].GetProperty("startedAt").GetDateTimeOffset() >= runs[i - 1].GetProperty("completedAt").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task Killing_one_ordering_and_one_catalog_replica_under_checkout_load_loses_no_order()
    {
        var product = await _catalog.CreateProductAsync([1000], price: 12m, noun: "Replicated Carabiner");
        var variant = product.VariantIds[0];
        try
        {
            var shoppers = Enumerable.Range(0, 12).Select(_ => new Shopper(fixture.App)).ToList();
            await Crowd.SignUpAllAsync(shoppers);
            var answers = new ConcurrentDictionary<string, int>();
            var killedAt = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stop = new CancellationTokenSource();
            var loops = shoppers.Select((shopper, i) => Task.Run(() => BuyUntilStoppedAsync(shopper, i, variant, answers, killedAt.Task, stop.Token))).ToList();

            await Task.Delay(TimeSpan.FromSeconds(3), Cancellation);
            var killed = new[] { (await fixture.App.GetReplicasAsync("ordering-api", Cancellation))[0], (await fixture.App.GetReplicasAsync("catalog-api", Cancellation))[1] };
            foreach (var replica in killed)
            {
                Process.GetProcessById(replica.Pid ?? throw new InvalidOperationException($"{replica.InstanceId} has no pid")).Kill();
            }
            killedAt.SetResult(DateTime.UtcNow);
            var ordersAtKill = answers.GetValueOrDefault("checkout 201");
            await Task.Delay(TimeSpan.FromSeconds(8), Cancellation);
            await stop.CancelAsync();
            var keys = await Task.WhenAll(loops);
            var report = string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}"));
            var summary = $"Replica kill: {ordersAtKill} orders before the kill; answers: {report}";
            TestContext.Current.TestOutputHelper?.WriteLine(summary);
            Console.WriteLine(summary);

            // The surviving ordering replica kept serving while a catalog replica was down: each call it made to the dead
            // catalog replica went to the live one (a breaker per replica, a failover when the connection is refused),
            // so it answered no 5xx (with one breaker for the whole of catalog-api it refused cart adds and checkouts).
            Assert.True(answers.GetValueOrDefault("survivor 5xx") == 0, $"the surviving ordering replica answered 5xx after the kill; answers: {report}");
            Assert.True(answers.GetValueOrDefault("checkout 201") > ordersAtKill, $"no order after the kill; answers: {report}");

            // Every checkout the shoppers were answered for is one order, and nothing else was ordered.
            for (var i = 0; i < shoppers.Count; i++)
            {
                var mine = await shoppers[i].GetJsonAsync("/api/orders?pageSize=100");
                Assert.Equal(keys[i].Count, mine.GetProperty("total").GetInt32());
                Assert.Equal(keys[i].Values.Order(), mine.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).Order());
            }
            // Nothing was sold twice and the stock adds up. A request the kill cut short may leave, at most one per shopper,
            // a sale the catalog committed before its order was written (OrderingApi's SaleReconciler returns it after its
            // 15-minute grace) or a reservation for a cart that never recorded it (released when it expires).
            var sold = await Crowd.UnitsSoldTodayAsync(fixture.App, variant);
            var level = await _catalog.LevelAsync(variant);
            Assert.Equal(level.OnHand - level.Reserved, level.Available);
            Assert.InRange(1000 - sold - level.OnHand, 0, shoppers.Count);
            Assert.InRange(level.Reserved, 0, shoppers.Count);

            // The killed replicas are back (the AppHost restarts a crashed process) at their own addresses, and a cart
            // add (ordering-api calling catalog-api) works through either ordering replica again.
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var replica in killed)
            {
                await Eventually.ReturnsAsync(async () =>
                {
                    try
                    {
                        using var health = await probe.GetAsync(new Uri(replica.Endpoint, "/health"), Cancellation);
                        return health.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                }, status => status == HttpStatusCode.OK, TimeSpan.FromMinutes(1), $"{replica.InstanceId} to answer at {replica.Endpoint} again");
            }
            foreach (var ordering in Ordering)
            {
                var anonymous = new Shopper(fixture.App, ordering);
                await Eventually.ReturnsAsync(async () =>
                {
                    using var add = await anonymous.AddAsync(variant, 1);
                    return add.StatusCode;
                }, status => status == HttpStatusCode.OK, TimeSpan.FromMinutes(1), $"a cart add through {ordering.BaseAddress}");
            }
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    /// <summary>
    /// Adds one unit and checks out, over and over, on alternating ordering replicas, as a client behind a load balancer
    /// would: a request that fails for want of a replica (no connection, 5xx) is sent again to the other one, the
    /// checkout with the same Idempotency-Key; a checkout told its line's reservation ended (the kill cut a checkout
    /// short after the catalog had let its stock go) sets the quantity again and checks out again with the same key.
    /// Counts every answer in <paramref name="answers"/> (5xx from the replica that was not killed, after the kill, as
    /// "survivor 5xx"). Returns each key answered with an order, and that order's id.
    /// </summary>
    private async Task<Dictionary<string, long>> BuyUntilStoppedAsync(
        Shopper shopper, int index, int variant, ConcurrentDictionary<string, int> answers, Task<DateTime> killed, CancellationToken stop)
    {
        var orders = new Dictionary<string, long>();
        var attempt = index;
        async Task<(HttpStatusCode Status, JsonElement Body)?> TryAsync(string what, HttpMethod method, string path, object? body, string? key)
        {
            var replica = attempt++ % 2;
            var answer = "no answer";
            try
            {
                using var response = await SendAsync(Ordering[replica], method, path, shopper.Token, body, key);
                answer = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if ((int)response.StatusCode < 500)
                {
                    return (response.StatusCode, await IdentityClient.ReadJsonAsync(response));
                }
                if (replica == 1 && killed.IsCompleted)
                {
                    answers.AddOrUpdate("survivor 5xx", 1, (_, n) => n + 1);
                }
                return null;
            }
            catch (HttpRequestException)
            {
                answer = "no connection";
                return null;
            }
            finally
            {
                answers.AddOrUpdate($"{what} {answer}", 1, (_, n) => n + 1);
            }
        }
        async Task<JsonElement> CartAsync(string what, HttpMethod method, string path, object? body)
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (true)
            {
                if (await TryAsync(what, method, path, body, null) is { Status: HttpStatusCode.OK } done)
                {
                    return done.Body;
                }
                Assert.True(DateTime.UtcNow < deadline, $"{what} not done within a minute");
                await Task.Delay(200, Cancellation);
            }
        }

        while (!stop.IsCancellationRequested)
        {
            await CartAsync("add", HttpMethod.Post, "/api/cart/items", new { variantId = variant, quantity = 1 });
            var key = Guid.NewGuid().ToString();
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (true)
            {
                var answer = await TryAsync("checkout", HttpMethod.Post, "/api/orders", CheckoutBody(), key);
                if (answer is { Status: HttpStatusCode.Created or HttpStatusCode.OK } done)
                {
                    orders[key] = done.Body.GetProperty("id").GetInt64();
                    // A replay: the order was written by a try whose answer the kill cut off. The cart is emptied before
                    // an order commits, so no cart may still hold the order's sold reservation (checking that out again
                    // would have moved the sale to a second order).
                    if (done.Status == HttpStatusCode.OK)
                    {
                        var cart = await CartAsync("cart after a replay", HttpMethod.Get, "/api/cart", null);
                        Assert.True(cart.GetProperty("itemCount").GetInt32() == 0, $"the cart outlived its order {done.Body.GetProperty("number")}: {cart}");
                    }
                    break;
                }
                // 409: the kill cut a checkout short after the catalog let its stock go (set the quantity again); 400 with
                // an empty cart: it died after emptying the cart and before its order committed (add the unit again).
                var emptied = answer is { Status: HttpStatusCode.BadRequest } refused
                    && refused.Body.TryGetProperty("title", out var title) && title.GetString() == "The cart is empty";
                Assert.True(answer is null || emptied || answer.Value.Status == HttpStatusCode.Conflict, $"checkout answered {answer?.Status}: {answer?.Body}");
                Assert.True(DateTime.UtcNow < deadline, $"checkout {key} not done within a minute; last answer {answer?.Status}: {answer?.Body}");
                if (emptied)
                {
                    answers.AddOrUpdate("cart emptied, order not written", 1, (_, n) => n + 1);
                    await CartAsync("add again", HttpMethod.Post, "/api/cart/items", new { variantId = variant, quantity = 1 });
                }
                else if (answer?.Body.TryGetProperty("lines", out _) == true)
                {
                    await CartAsync("set again", HttpMethod.Put, $"/api/cart/items/{variant}", new { quantity = 1 });
                }
                await Task.Delay(200, Cancellation);
            }
        }
        return orders;
    }

    private static object CheckoutBody() => new { shippingAddress = Shopper.Address(), paymentMethod = "card", cardNumber = Shopper.GoodCard };

    private async Task<Tokens> LoginAsync(HttpClient replica, string email)
    {
        using var response = await SendAsync(replica, HttpMethod.Post, "/api/identity/login", null, new { email, password = IdentityClient.StrongPassword });
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, response);
        return (await response.Content.ReadFromJsonAsync<Tokens>(Cancellation))!;
    }

    private async Task<HttpStatusCode> MeAsync(HttpClient replica, string token)
    {
        using var response = await SendAsync(replica, HttpMethod.Get, "/api/auth/me", token);
        return response.StatusCode;
    }

    /// <summary>A request to one replica, from this test's client address (sign-in limits are per address).</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient replica, HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", _identity.Address);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await replica.SendAsync(request, Cancellation);
    }
}
