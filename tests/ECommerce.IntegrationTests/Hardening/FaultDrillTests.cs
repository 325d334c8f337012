using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Infrastructure;
using ECommerce.IntegrationTests.Ordering;
using Npgsql;

namespace ECommerce.IntegrationTests.Hardening;

/// <summary>
/// PostgreSQL and Redis killed (SIGKILL) or frozen (SIGSTOP for 10 s) while shoppers check out. Nobody acts: the AppHost
/// starts a killed server again and the services reconnect by themselves. Afterwards every resource is healthy, the
/// orders in the database are exactly those answered 201, and stock on hand plus units sold equals the stock before.
/// Each checkout that got no final answer is sent again with the same Idempotency-Key, as a shop's client does.
/// </summary>
[Collection(HardeningCollection.Name)]
public sealed class FaultDrillTests(AppFixture fixture)
{
    private const int Buyers = 6;
    private const int Stock = 10_000;
    private static readonly TimeSpan RecoveryTarget = TimeSpan.FromSeconds(15);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("postgres", "SIGKILL")]
    [InlineData("redis", "SIGKILL")]
    [InlineData("postgres", "SIGSTOP")]
    [InlineData("redis", "SIGSTOP")]
    public async Task Checkout_load_survives_a_server_fault_without_a_person_acting_and_loses_no_order(string server, string fault)
    {
        var app = fixture.App;
        var product = await new CatalogClient(app).CreateProductAsync([Stock], price: 12m, noun: "Drill Tent Peg");
        var variant = product.VariantIds[0];
        var shoppers = new List<Shopper>();
        for (var i = 0; i < Buyers; i++)
        {
            shoppers.Add(await new Shopper(app).SignUpAsync());
        }

        var created = new ConcurrentDictionary<long, TimeSpan>(); // order id -> when it was answered
        var clock = Stopwatch.StartNew();
        var answers = new ConcurrentDictionary<string, int>();
        var failedRequests = 0;
        using var stopBuying = new CancellationTokenSource();
        var buying = shoppers.Select(shopper => Task.Run(async () =>
        {
            while (!stopBuying.IsCancellationRequested)
            {
                var added = await SendUntilFinalAsync(() => shopper.AddAsync(variant, 1), () => Interlocked.Increment(ref failedRequests));
                answers.AddOrUpdate($"add {(int)added}", 1, (_, n) => n + 1);
                if (added != HttpStatusCode.OK)
                {
                    continue;
                }
                var key = Guid.NewGuid().ToString();
                long? orderId = null;
                var status = await SendUntilFinalAsync(async () =>
                {
                    var response = await shopper.CheckoutAsync(key);
                    // 201 for a new order; 200 with the same order when an earlier try of this key was applied (its answer lost).
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        orderId = (await Identity.IdentityClient.ReadJsonAsync(response)).GetProperty("id").GetInt64();
                    }
                    return response;
                }, () => Interlocked.Increment(ref failedRequests));
                answers.AddOrUpdate($"checkout {(int)status}", 1, (_, n) => n + 1);
                if (status is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    created[orderId!.Value] = clock.Elapsed;
                }
                await Task.Delay(50, Cancellation); // a steady load, not a stampede: the stock lasts the drill
            }
        }, Cancellation)).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3), Cancellation);
        var ordersBeforeFault = created.Count;
        var pid = app.GetResource(server).Pid ?? throw new InvalidOperationException($"{server} has no pid");
        var faultAt = clock.Elapsed;
        TimeSpan serverBack;
        if (fault == "SIGKILL")
        {
            Process.GetProcessById(pid).Kill();
            // The AppHost sees it exit and starts it again: a new process, healthy.
            await Eventually.ReturnsAsync(() => Task.FromResult(app.GetResource(server)), r => r.Pid != pid && r.State == ResourceState.Healthy,
                TimeSpan.FromSeconds(60), $"{server} to be started again by the AppHost");
            serverBack = clock.Elapsed - faultAt;
        }
        else
        {
            Signal(pid, "STOP");
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), Cancellation);
            }
            finally
            {
                Signal(pid, "CONT");
            }
            serverBack = clock.Elapsed - faultAt;
        }
        await app.WaitUntilAllHealthyAsync(TimeSpan.FromSeconds(60));
        var allHealthy = clock.Elapsed - faultAt;
        // Orders go through again after the fault.
        var ordersAtRecovery = created.Count;
        await Eventually.ReturnsAsync(async () =>
        {
            if (buying.FirstOrDefault(t => t.IsFaulted) is { } broken)
            {
                await broken; // a buyer's own failure, not the app's: say what it was
            }
            return created.Count;
        }, n => n >= ordersAtRecovery + Buyers,
            TimeSpan.FromSeconds(30), $"checkouts to succeed again after the fault ({ordersBeforeFault} orders before it, {failedRequests} failed requests; answers: {Answers(answers)})");
        stopBuying.Cancel();
        await Task.WhenAll(buying);

        // Recovered when every resource is healthy and orders go through again, counted from the server being back.
        var firstOrderAfter = created.Values.Where(at => at - faultAt >= serverBack).DefaultIfEmpty(clock.Elapsed).Min() - faultAt;
        var recovery = (allHealthy > firstOrderAfter ? allHealthy : firstOrderAfter) - serverBack;
        var (ordersInDatabase, unitsSold) = await OrdersOfAsync(variant);
        var onHand = (await new CatalogClient(app).LevelAsync(variant)).OnHand;
        var report = $"{fault} {server}: back after {serverBack.TotalSeconds:0.0} s, every resource healthy {(allHealthy - serverBack).TotalSeconds:0.0} s and the next order {(firstOrderAfter - serverBack).TotalSeconds:0.0} s later; " +
            $"orders answered (201, or 200 for a repeat): {created.Count} ({ordersBeforeFault} before the fault), in the database: {ordersInDatabase.Count}; " +
            $"final answers: {Answers(answers)}; failed requests (retried): {failedRequests}; stock {Stock} = on hand {onHand} + sold {unitsSold}";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine($"Fault drill: {report}");

        Assert.Equal(created.Keys.Order(), ordersInDatabase.Order());
        Assert.Equal(Stock, onHand + unitsSold);
        Assert.True(recovery < RecoveryTarget, report);
    }

    private static string Answers(ConcurrentDictionary<string, int> answers) =>
        string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"));

    /// <summary>Sends until the answer is final (not 5xx, 408 or 429, and not a failed connection), at most 60 s.</summary>
    private static async Task<HttpStatusCode> SendUntilFinalAsync(Func<Task<HttpResponseMessage>> send, Action failed)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await send();
                var status = response.StatusCode;
                if ((int)status < 500 && status is not HttpStatusCode.RequestTimeout and not HttpStatusCode.TooManyRequests)
                {
                    return status;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !Cancellation.IsCancellationRequested)
            {
            }
            failed();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No final answer within 60 s.");
            }
            await Task.Delay(500, Cancellation);
        }
    }

    private async Task<(List<long> Orders, long Units)> OrdersOfAsync(int variantId)
    {
        // A connection of its own: a pooled one may belong to the server the drill killed.
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.App.GetConnectionString("orderingdb")) { Pooling = false };
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("SELECT order_id, quantity FROM order_lines WHERE variant_id = $1", connection) { Parameters = { new() { Value = variantId } } };
        await using var reader = await command.ExecuteReaderAsync(Cancellation);
        var orders = new List<long>();
        long units = 0;
        while (await reader.ReadAsync(Cancellation))
        {
            orders.Add(reader.GetInt64(0));
            units += reader.GetInt32(1);
        }
        return (orders, units);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
