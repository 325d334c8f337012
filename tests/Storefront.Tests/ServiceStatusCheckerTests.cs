using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Storefront.Services;

namespace Storefront.Tests;

public class ServiceStatusCheckerTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    private static HttpClient Client(string serviceName, HttpMessageHandler handler) =>
        new(handler) { BaseAddress = new Uri($"http://{serviceName}") };

    private static ServiceStatusChecker Checker(
        HttpMessageHandler catalog, HttpMessageHandler? ordering = null, HttpMessageHandler? forecast = null,
        HttpMessageHandler? assistant = null, TimeSpan? timeout = null) =>
        new(
            // GET /alive is asked as nobody: the clients never consult a user session for it.
            new CatalogClient(Client("catalog-api", catalog), null!, NullLogger<CatalogClient>.Instance),
            new OrderingClient(Client("ordering-api", ordering ?? FakeHttpHandler.Answering(HttpStatusCode.OK)), null!, NullLogger<OrderingClient>.Instance),
            new ForecastClient(Client("forecast-worker", forecast ?? FakeHttpHandler.Answering(HttpStatusCode.OK)), null!, NullLogger<ForecastClient>.Instance),
            new AssistantClient(Client("assistant-api", assistant ?? FakeHttpHandler.Answering(HttpStatusCode.OK)), null!, NullLogger<AssistantClient>.Instance),
            Options.Create(new ServiceStatusOptions { Timeout = timeout ?? ShortTimeout }),
            NullLogger<ServiceStatusChecker>.Instance);

    [Fact]
    public async Task Reports_every_backend_service_by_name_after_asking_its_alive_endpoint()
    {
        var catalog = FakeHttpHandler.Answering(HttpStatusCode.OK);

        var status = await Checker(catalog).CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["catalog-api", "ordering-api", "forecast-worker", "assistant-api"], status.Services.Select(s => s.Name));
        Assert.All(status.Services, service =>
        {
            Assert.True(service.Reachable);
            Assert.Equal(200, service.StatusCode);
            Assert.Null(service.Error);
        });
        Assert.Equal(new Uri("http://catalog-api/alive"), Assert.Single(catalog.Requests));
    }

    [Fact]
    public async Task A_service_answering_with_an_error_status_is_not_reachable_but_keeps_its_status_code()
    {
        var status = await Checker(FakeHttpHandler.Answering(HttpStatusCode.ServiceUnavailable)).CheckAsync(TestContext.Current.CancellationToken);

        var catalog = status.Services.Single(s => s.Name == "catalog-api");
        Assert.False(catalog.Reachable);
        Assert.Equal(503, catalog.StatusCode);
    }

    [Fact]
    public async Task A_service_that_refuses_the_connection_is_reported_with_the_reason()
    {
        var refused = FakeHttpHandler.Throwing(new HttpRequestException("Connection refused (127.0.0.1:1)"));

        var status = await Checker(refused).CheckAsync(TestContext.Current.CancellationToken);

        var catalog = status.Services.Single(s => s.Name == "catalog-api");
        Assert.False(catalog.Reachable);
        Assert.Null(catalog.StatusCode);
        Assert.Equal("Connection refused (127.0.0.1:1)", catalog.Error);
        Assert.True(status.Services.Where(s => s.Name != "catalog-api").All(s => s.Reachable));
    }

    [Fact]
    public async Task A_service_that_does_not_answer_in_time_is_reported_as_timed_out()
    {
        var hanging = FakeHttpHandler.AnsweringAfter(TimeSpan.FromMinutes(1), HttpStatusCode.OK);
        var stopwatch = Stopwatch.StartNew();

        var status = await Checker(hanging).CheckAsync(TestContext.Current.CancellationToken);

        var catalog = status.Services.Single(s => s.Name == "catalog-api");
        Assert.False(catalog.Reachable);
        Assert.Null(catalog.StatusCode);
        Assert.Contains("300 ms", catalog.Error);
        Assert.InRange(catalog.LatencyMs, 250, 5_000);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"The check took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task Services_are_checked_in_parallel()
    {
        var slow = TimeSpan.FromMilliseconds(400);
        FakeHttpHandler Slow() => FakeHttpHandler.AnsweringAfter(slow, HttpStatusCode.OK);
        var checker = Checker(Slow(), Slow(), Slow(), Slow(), timeout: TimeSpan.FromSeconds(10));
        var stopwatch = Stopwatch.StartNew();

        var status = await checker.CheckAsync(TestContext.Current.CancellationToken);

        Assert.All(status.Services, service => Assert.True(service.Reachable));
        // One after the other it would take four times as long.
        Assert.True(stopwatch.Elapsed < slow * 3, $"The check took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_reported_as_a_service_failure()
    {
        var hanging = FakeHttpHandler.AnsweringAfter(TimeSpan.FromMinutes(1), HttpStatusCode.OK);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Checker(hanging, timeout: TimeSpan.FromSeconds(30)).CheckAsync(cancellation.Token));
    }
}
