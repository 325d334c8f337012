using System.Globalization;
using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Dashboard;

/// <summary>The developer dashboard as a person sees it in Chromium; each test leaves a screenshot.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class DashboardPagesTests(BrowserAppFixture fixture)
{
    private static readonly string[] Services = ["catalog-api", "ordering-api", "forecast-worker", "assistant-api", "storefront"];

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resources_page_shows_every_resource_healthy_with_its_endpoint()
    {
        var page = await fixture.NewDashboardPageAsync("/resources");

        await Expect(page).ToHaveURLAsync(new Regex("/resources$"));
        await Expect(page.Locator("table.resources tbody tr")).ToHaveCountAsync(7);
        await Expect(page.Locator("table.resources .state-healthy")).ToHaveCountAsync(7);
        var storefront = page.Locator("tr[data-resource='storefront']");
        await Expect(storefront.Locator("a.endpoint")).ToHaveAttributeAsync("href", fixture.App.GetResource("storefront").Urls[0]);
        await Screenshots.TakeAsync(page, "dashboard-resources");
    }

    [Fact]
    public async Task The_restart_button_restarts_a_resource_and_its_console_keeps_both_runs()
    {
        var page = await fixture.NewDashboardPageAsync("/resources");
        var row = page.Locator("tr[data-resource='forecast-worker']");
        var before = fixture.App.GetResource("forecast-worker");

        await row.GetByRole(AriaRole.Button, new() { Name = "Restart" }).ClickAsync();

        // The table refreshes itself: the restart count goes up and the state comes back to healthy.
        var restarts = (before.Restarts + 1).ToString(CultureInfo.InvariantCulture);
        await Expect(row.Locator("td.num").First).ToHaveTextAsync(restarts, new() { Timeout = 90_000 });
        await Expect(row.Locator(".state-healthy")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        Assert.NotEqual(before.Pid, fixture.App.GetResource("forecast-worker").Pid);

        await page.GotoAsync($"{fixture.App.Dashboard.Url}/console/forecast-worker?q=Application%20started");
        Assert.True(await page.Locator("#console .line").CountAsync() >= 2, "the console keeps the lines of both runs");
        await Expect(page.Locator("#console mark").First).ToHaveTextAsync("Application started");
        await Screenshots.TakeAsync(page, "dashboard-console");
    }

    [Fact]
    public async Task Structured_logs_filter_by_resource_and_open_to_their_attributes()
    {
        var page = await fixture.NewDashboardPageAsync("/logs");

        await page.SelectOptionAsync("select[name=resource]", "catalog-api");

        await Expect(page).ToHaveURLAsync(new Regex("resource=catalog-api"));
        var resources = await page.Locator("table.logs > tbody > tr > td:nth-child(2)").AllInnerTextsAsync();
        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.Equal("catalog-api", r.Trim()));
        await page.Locator("table.logs tbody summary").First.ClickAsync();
        await Expect(page.Locator("table.logs details[open] table.attributes, table.logs details[open] .muted").First).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "dashboard-logs");
    }

    [Fact]
    public async Task A_trace_across_services_shows_as_a_waterfall()
    {
        using (var storefront = new HttpClient { BaseAddress = fixture.App.Application.GetEndpoint("storefront") })
        {
            (await storefront.GetAsync("/api/status", Cancellation)).EnsureSuccessStatusCode();
        }
        var page = await fixture.NewDashboardPageAsync("/traces?q=%2Fapi%2Fstatus");

        // Spans arrive within a second or two; the list refreshes itself.
        var link = page.Locator("table.traces a[href^='/traces/']").First;
        await Expect(link).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "dashboard-traces");
        await link.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("storefront: GET /api/status");
        // The storefront's span, its four calls and the four backends' spans. Each service exports on
        // its own clock, so the page (rendered once) may have been opened before the last span came.
        var rows = page.Locator(".waterfall .wf-row");
        for (var attempt = 0; attempt < 30 && await rows.CountAsync() < 9; attempt++)
        {
            await page.WaitForTimeoutAsync(500);
            await page.ReloadAsync();
        }
        await Expect(rows).ToHaveCountAsync(9);
        var chips = await page.Locator(".waterfall .wf-name .chip").AllInnerTextsAsync();
        Assert.All(Services, s => Assert.Contains(s, chips));
        var catalogSpan = page.Locator(".wf-row", new() { Has = page.Locator(".wf-name .chip", new() { HasText = "catalog-api" }) }).First;
        await catalogSpan.Locator("summary").ClickAsync();
        await Expect(catalogSpan.Locator("table.attributes")).ToContainTextAsync("http.route");
        await Screenshots.TakeAsync(page, "dashboard-trace");
    }

    [Fact]
    public async Task Metrics_page_charts_each_services_requests_and_latency()
    {
        // A few seconds of traffic: metrics are exported every second, the 1-minute charts have 1-second bins.
        using (var storefront = new HttpClient { BaseAddress = fixture.App.Application.GetEndpoint("storefront") })
        {
            for (var i = 0; i < 20; i++)
            {
                (await storefront.GetAsync("/api/status", Cancellation)).EnsureSuccessStatusCode();
                await Task.Delay(250, Cancellation);
            }
        }
        var page = await fixture.NewDashboardPageAsync("/metrics/storefront?window=1");

        // A requests line of at least two points (the charts refresh themselves every few seconds).
        await Expect(page.Locator("svg path.series.l0[d*=' L']").First).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Expect(page.Locator("dl.figures")).ToContainTextAsync("p95");
        await Screenshots.TakeAsync(page, "dashboard-metrics-storefront");
        await page.GotoAsync($"{fixture.App.Dashboard.Url}/metrics?window=1");
        await Expect(page.Locator("section.metric-card")).ToHaveCountAsync(Services.Length);
        await Screenshots.TakeAsync(page, "dashboard-metrics");
    }

    [Fact]
    public async Task Without_the_link_the_dashboard_asks_for_the_token()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync($"{fixture.App.Dashboard.Url}/traces");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl=%2Ftraces$"));
        await page.FillAsync("input[name=token]", "not-the-token");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("form.login .error")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "dashboard-login");
        await page.FillAsync("input[name=token]", fixture.App.Dashboard.Token);
        await page.ClickAsync("button[type=submit]");

        await Expect(page).ToHaveURLAsync(new Regex("/traces$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Traces");
    }
}
