using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.AppHost;

[Collection(AppCollection.Name)]
public sealed class WholeAppTests(AppFixture fixture)
{
    private static readonly string[] Services = ["catalog-api", "ordering-api", "forecast-worker", "assistant-api", "storefront"];
    private static readonly string[] AllResources = ["postgres", "redis", .. Services];

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_resource_is_healthy()
    {
        foreach (var name in AllResources)
        {
            Assert.Equal(ResourceState.Healthy, fixture.App.GetResource(name).State);
        }
    }

    [Theory]
    [InlineData("catalog-api")]
    [InlineData("ordering-api")]
    [InlineData("forecast-worker")]
    [InlineData("assistant-api")]
    [InlineData("storefront")]
    public async Task Every_service_answers_health_and_alive(string service)
    {
        var client = fixture.App.CreateHttpClient(service);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task State_file_lists_every_resource_with_its_state_and_urls()
    {
        // Read until every resource shows Healthy: an earlier test of this class may have just brought a server back, and
        // the file follows each resource's health checks, which run every few seconds.
        var resources = await Eventually.ReturnsAsync(async () =>
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(fixture.App.StateFile, Cancellation));
            return json.RootElement.Clone().GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        }, r => r.Values.All(resource => resource.GetProperty("state").GetString() == "Healthy"), TimeSpan.FromSeconds(30),
            "every resource to show Healthy in the state file");

        Assert.Equal(AllResources.Order(), resources.Keys.Order());
        foreach (var (name, resource) in resources)
        {
            var url = Assert.Single(resource.GetProperty("urls").EnumerateArray()).GetString()!;
            Assert.StartsWith(Services.Contains(name) ? "http://127.0.0.1:" : "tcp://127.0.0.1:", url);
        }
        Assert.Equal(fixture.App.CreateHttpClient("catalog-api").BaseAddress!.ToString().TrimEnd('/'),
            resources["catalog-api"].GetProperty("urls")[0].GetString());
    }

    [Fact]
    public async Task A_service_reaches_the_others_by_name()
    {
        // The storefront calls each backend by its resource name (http://catalog-api, ...);
        // service discovery turns that into the address the AppHost gave it.
        var status = await fixture.App.CreateHttpClient("storefront").GetFromJsonAsync<StatusReport>("/api/status", Cancellation);

        Assert.NotNull(status);
        Assert.Equal(["assistant-api", "catalog-api", "forecast-worker", "ordering-api"], status.Services.Select(s => s.Name).Order());
        Assert.All(status.Services, s => Assert.True(s.Reachable, $"{s.Name} was not reachable from the storefront"));
    }

    [Fact]
    public async Task Services_report_unhealthy_while_redis_is_down_and_recover_without_restarting()
    {
        await AssertOutageIsReportedAndRecovered("redis", ["catalog-api", "ordering-api", "assistant-api"]);
    }

    [Fact]
    public async Task Services_report_unhealthy_while_postgres_is_down_and_recover_without_restarting()
    {
        await AssertOutageIsReportedAndRecovered("postgres", ["catalog-api", "ordering-api", "forecast-worker"]);
    }

    [Fact]
    public async Task A_crashed_service_is_started_again_by_the_apphost_without_anyone_acting()
    {
        var app = fixture.App;
        var pid = app.GetResource("forecast-worker").Pid!.Value;

        System.Diagnostics.Process.GetProcessById(pid).Kill(); // SIGKILL, as a crash would

        await Eventually.ReturnsAsync(() => Task.FromResult(app.GetResource("forecast-worker")), r => r.Pid != pid && r.State == ResourceState.Healthy,
            TimeSpan.FromSeconds(60), "forecast-worker to be started again (a new process) and healthy");
        var client = app.CreateHttpClient("forecast-worker");
        Assert.Equal(HttpStatusCode.OK, await Status(client, "/health"));
    }

    [Fact]
    public async Task A_resource_stopped_on_purpose_stays_stopped()
    {
        var app = fixture.App;
        await app.StopResourceAsync("forecast-worker");
        try
        {
            await app.WaitForStateAsync("forecast-worker", ResourceState.Exited, TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(3), Cancellation); // longer than the first restart's back-off
            Assert.Equal(ResourceState.Exited, app.GetResource("forecast-worker").State);
        }
        finally
        {
            await app.StartResourceAsync("forecast-worker");
        }
        await app.WaitForStateAsync("forecast-worker", ResourceState.Healthy, TimeSpan.FromSeconds(60));
    }

    private async Task AssertOutageIsReportedAndRecovered(string server, string[] dependants)
    {
        var app = fixture.App;
        var pidsBefore = dependants.ToDictionary(d => d, d => app.GetResource(d).Pid);

        await app.StopResourceAsync(server);
        try
        {
            foreach (var service in dependants)
            {
                var client = app.CreateHttpClient(service);
                await Eventually.ReturnsAsync(() => Status(client, "/health"), s => s == HttpStatusCode.ServiceUnavailable,
                    TimeSpan.FromSeconds(30), $"{service} /health to turn 503 while {server} is down");
                Assert.Equal(HttpStatusCode.OK, await Status(client, "/alive"));
            }
        }
        finally
        {
            await app.StartResourceAsync(server);
        }
        await app.WaitForStateAsync(server, ResourceState.Healthy, TimeSpan.FromSeconds(60));

        foreach (var service in dependants)
        {
            var client = app.CreateHttpClient(service);
            await Eventually.ReturnsAsync(() => Status(client, "/health"), s => s == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), $"{service} /health to turn 200 once {server} is back");
            Assert.Equal(pidsBefore[service], app.GetResource(service).Pid);
        }
        // The shared app is left as it was found: every service answers /health again, also those that depend on the
        // server without being checked here (the storefront keeps its sign-ins in Redis), and the AppHost says so.
        foreach (var service in Services)
        {
            var client = app.CreateHttpClient(service);
            await Eventually.ReturnsAsync(() => Status(client, "/health"), s => s == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), $"{service} /health to turn 200 once {server} is back");
        }
        foreach (var name in AllResources)
        {
            await app.WaitForStateAsync(name, ResourceState.Healthy, TimeSpan.FromSeconds(30));
        }
    }

    private async Task<HttpStatusCode> Status(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path, Cancellation);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private sealed record StatusReport(List<ServiceStatus> Services);

    private sealed record ServiceStatus(string Name, bool Reachable, int? StatusCode, double? LatencyMs);
}
