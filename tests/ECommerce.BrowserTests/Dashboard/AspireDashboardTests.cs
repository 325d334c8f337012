using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Dashboard;

/// <summary>
/// The Aspire dashboard as a developer sees it in Chromium, signed in through its login link: every resource, and every
/// service's traces, structured logs and console output. Each test leaves a screenshot.
/// </summary>
[Collection(BrowserAppCollection.Name)]
public sealed class AspireDashboardTests(BrowserAppFixture fixture)
{
    private static readonly string[] Databases = ["catalogdb", "orderingdb", "forecastdb", "keyringdb"];

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_resources_page_lists_every_resource_running_with_its_endpoint()
    {
        Assert.SkipWhen(fixture.IsAttached, "The dashboard runs with the app the tests start.");
        var page = await fixture.NewDashboardPageAsync("/");

        foreach (var name in TestApp.Resources.Concat(Databases))
        {
            var row = Row(page, name);
            await Expect(row).ToContainTextAsync("Running");
        }
        var storefront = fixture.App.GetResource("storefront").Urls[0];
        await Expect(Row(page, "storefront").GetByRole(AriaRole.Link, new() { Name = storefront })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "dashboard-resources");
    }

    [Fact]
    public async Task A_request_to_the_storefront_is_one_trace_across_every_service_it_calls()
    {
        Assert.SkipWhen(fixture.IsAttached, "The dashboard runs with the app the tests start.");
        // The status page calls each backend; the caller's trace context is carried through all of them.
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/status"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
            using var response = await fixture.App.CreateHttpClient("storefront").SendAsync(request, Cancellation);
            response.EnsureSuccessStatusCode();
        }

        var page = await fixture.NewDashboardPageAsync("/");
        await ShowTraceAsync(page, traceId);

        await Expect(page.GetByText("Resources 5")).ToBeVisibleAsync();
        foreach (var service in new[] { "storefront", "catalog-api", "ordering-api", "forecast-worker", "assistant-api" })
        {
            await Expect(page.GetByRole(AriaRole.Gridcell, new() { Name = service, Exact = true }).First).ToBeVisibleAsync();
        }
        await Screenshots.TakeAsync(page, "dashboard-trace");
    }

    [Fact]
    public async Task Each_service_has_its_structured_logs_and_console_output_there()
    {
        Assert.SkipWhen(fixture.IsAttached, "The dashboard runs with the app the tests start.");
        var page = await fixture.NewDashboardPageAsync("/structuredlogs/resource/catalog-api");
        await Expect(page.GetByText(new Regex("^Seeded the catalog: \\d+ products"))).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "dashboard-structured-logs");

        await page.GotoAsync(await DashboardUrlAsync("/consolelogs/resource/postgres"));
        await Expect(page.GetByText("database system is ready to accept connections").First).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "dashboard-console");
    }

    [Fact]
    public async Task Restart_in_the_dashboard_starts_the_resource_again()
    {
        Assert.SkipWhen(fixture.IsAttached, "The dashboard runs with the app the tests start.");
        var before = fixture.App.GetResource("forecast-worker").Pid;
        var page = await fixture.NewDashboardPageAsync("/");

        await Row(page, "forecast-worker").GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Restart" }).ClickAsync();

        await fixture.App.WaitForStateAsync("forecast-worker", ResourceState.Exited, TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, Cancellation);
        await fixture.App.WaitForStateAsync("forecast-worker", ResourceState.Healthy, TimeSpan.FromSeconds(90));
        Assert.NotEqual(before, fixture.App.GetResource("forecast-worker").Pid);
        await Expect(Row(page, "forecast-worker")).ToContainTextAsync("Running");
    }

    private static ILocator Row(IPage page, string resource) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Gridcell).GetByText(resource, new() { Exact = true }) });

    private async Task<string> DashboardUrlAsync(string path) => new Uri(await fixture.App.GetDashboardLoginUrlAsync(), path).ToString();

    /// <summary>Opens a trace's page, waiting (spans are exported every second) until the dashboard has it.</summary>
    private async Task ShowTraceAsync(IPage page, string traceId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await page.GotoAsync(await DashboardUrlAsync($"/traces/detail/{traceId}"));
            try
            {
                await Expect(page.GetByText("Total spans")).ToBeVisibleAsync(new() { Timeout = 3000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }
}
