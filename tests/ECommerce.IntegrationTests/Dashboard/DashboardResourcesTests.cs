using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ECommerce.AppHost.Dashboard;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Dashboard;

/// <summary>The dashboard's resources page and actions, through the whole running app.</summary>
[Collection(AppCollection.Name)]
public sealed class DashboardResourcesTests(AppFixture fixture)
{
    private static readonly string[] AllResources = ["postgres", "redis", "catalog-api", "ordering-api", "forecast-worker", "assistant-api", "storefront"];

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_every_resource_as_healthy_with_its_endpoint()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);

        var html = await dashboard.GetStringAsync("/resources", Cancellation);

        foreach (var name in AllResources)
        {
            var row = Regex.Match(html, $"<tr data-resource=\"{name}\">(.*?)</tr>", RegexOptions.Singleline);
            Assert.True(row.Success, $"no row for {name}");
            Assert.Contains("state-healthy", row.Groups[1].Value);
            Assert.Contains(fixture.App.GetResource(name).Urls[0], row.Groups[1].Value);
        }
        var resources = await DashboardJson.GetAsync<List<ResourceJson>>(dashboard, "/api/resources", Cancellation);
        Assert.Equal(AllResources.Order(), resources.Select(r => r.Name).Order());
        Assert.All(resources, r => Assert.Equal("Healthy", r.State));
    }

    [Fact]
    public async Task Restarting_a_resource_from_the_dashboard_brings_it_back_healthy()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);
        var before = fixture.App.GetResource("catalog-api");

        // What the Restart button's form sends, from a dashboard page.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/resources/catalog-api/restart") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("Origin", fixture.App.Dashboard.Url);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await dashboard.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/resources", response.Headers.Location?.ToString());
        var after = await Eventually.ReturnsAsync(
            async () => (await DashboardJson.GetAsync<List<ResourceJson>>(dashboard, "/api/resources", Cancellation)).Single(r => r.Name == "catalog-api"),
            r => r.Restarts == before.Restarts + 1 && r.State == "Healthy",
            TimeSpan.FromSeconds(90), "catalog-api to restart and be healthy again");
        Assert.NotEqual(before.Pid, after.Pid);
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.CreateHttpClient("catalog-api").GetAsync("/health", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Shows_a_resources_environment_with_its_secrets_masked()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);
        var postgresPassword = Regex.Match(fixture.App.GetConnectionString("catalogdb"), "Password=([^;]+)").Groups[1].Value;
        var redisPassword = Regex.Match(fixture.App.GetConnectionString("redis"), "password=([^,;]+)").Groups[1].Value;

        var catalog = WebUtility.HtmlDecode(await dashboard.GetStringAsync("/resources/catalog-api", Cancellation));
        var redis = WebUtility.HtmlDecode(await dashboard.GetStringAsync("/resources/redis", Cancellation));

        Assert.Contains("ConnectionStrings__catalogdb", catalog);
        Assert.Contains($"Password={SecretMasker.Mask}", catalog);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", catalog);
        Assert.Contains($"--requirepass {SecretMasker.Mask}", redis);
        foreach (var page in new[] { catalog, redis })
        {
            Assert.DoesNotContain(postgresPassword, page);
            Assert.DoesNotContain(redisPassword, page);
        }
    }

    [Fact]
    public async Task The_state_file_says_where_the_dashboard_is_and_its_token()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(fixture.App.StateFile, Cancellation));
        var dashboard = json.RootElement.GetProperty("dashboard");

        Assert.Equal(fixture.App.Dashboard.Url, dashboard.GetProperty("url").GetString());
        Assert.Equal(fixture.App.Dashboard.Token, dashboard.GetProperty("token").GetString());
        Assert.StartsWith("http://127.0.0.1:", dashboard.GetProperty("url").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fixture.App.StateFile));
        }
    }

    [Fact]
    public async Task Console_output_of_a_resource_is_kept_and_searchable()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);

        var console = await DashboardJson.GetAsync<ConsoleJson>(dashboard, "/api/console/postgres?q=ready%20to%20accept%20connections", Cancellation);
        var page = await dashboard.GetStringAsync("/console/postgres?q=ready", Cancellation);

        Assert.NotEmpty(console.Lines);
        Assert.All(console.Lines, l => Assert.Contains("ready to accept connections", l.Text));
        Assert.Contains("<mark>ready</mark>", page);
        var later = await DashboardJson.GetAsync<ConsoleJson>(dashboard, $"/api/console/postgres?after={console.Last}&q=ready%20to%20accept%20connections", Cancellation);
        Assert.Empty(later.Lines);
    }
}
