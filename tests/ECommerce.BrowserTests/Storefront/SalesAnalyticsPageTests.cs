using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>The admin's sales analytics page: two years of the demo history drawn, a period chosen, the CSV downloaded.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class SalesAnalyticsPageTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task An_admin_reads_two_years_of_sales_chooses_a_week_and_downloads_what_is_shown()
    {
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin");
        var figures = admin.GetByTestId("analytics-figures");
        // The demo history is written in the background after the first start.
        await Shop.GotoUntilAsync(admin, fixture, "/admin/analytics?period=24m&timeZone=Europe%2FBerlin",
            admin.GetByTestId("analytics-top-products").Locator("tbody tr").First, TimeSpan.FromSeconds(90));

        await Expect(figures).ToContainTextAsync("Revenue");
        await Expect(admin.GetByTestId("analytics-period-text")).ToContainTextAsync("Europe/Berlin");
        // Two years by month: 24 or 25 months (the first one cut to the period).
        var bars = await admin.GetByTestId("sales-chart").Locator("rect.sales-chart__bar").CountAsync();
        Assert.InRange(bars, 24, 25);
        await Expect(admin.GetByTestId("analytics-top-products").Locator("tbody tr")).ToHaveCountAsync(10);
        Assert.True(await admin.GetByTestId("analytics-categories").Locator("li").CountAsync() > 2);
        Assert.True(await admin.GetByTestId("analytics-brands").Locator("li").CountAsync() > 2);
        await new AccessibilityAudit().CheckAsync(admin, "admin analytics");
        await Screenshots.TakeDesktopAndPhoneAsync(admin, "storefront-admin-analytics");
        await Shop.MeasureFirstRenderAsync(admin, fixture, "/admin/analytics?period=24m&timeZone=Europe%2FBerlin", "[data-testid=sales-chart] rect");

        // The last 7 days by day: seven bars, and the address says so (it can be bookmarked).
        await admin.GetByTestId("analytics-period").ChooseAsync("7d");
        await admin.GetByTestId("analytics-filters").Button("Show").ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("period=7d"));
        await Expect(admin.GetByTestId("sales-chart").Locator("rect.sales-chart__bar")).ToHaveCountAsync(7);
        var revenueShown = await figures.Locator(".analytics-figure__value").First.InnerTextAsync();

        // The CSV holds the same figures.
        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByTestId("analytics-csv").ClickAsync());
        Assert.Matches(@"^sales-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$", download.SuggestedFilename);
        var csv = await File.ReadAllLinesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        var revenue = csv.Single(l => l.StartsWith("revenue,", StringComparison.Ordinal)).Split(',')[1];
        Assert.Equal(Digits(revenueShown), Digits(decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(csv, l => l.StartsWith("day from,revenue,orders,units", StringComparison.Ordinal));
        Assert.Contains(csv, l => l.StartsWith("product id,product,category,brand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_customer_gets_neither_the_page_nor_the_csv()
    {
        var page = await fixture.NewPageAsync();
        await Shop.RegisterAsync(page, fixture, "Casey Customer", Shop.NewEmail("customer"));

        await page.GotoAsync(fixture.StorefrontUrl + "/admin/analytics");
        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        var csv = await page.APIRequest.GetAsync(fixture.StorefrontUrl + "/admin/analytics.csv?from=2026-01-01&to=2026-01-31",
            new() { MaxRedirects = 0 });
        Assert.NotEqual(200, csv.Status);
        Assert.DoesNotContain("text/csv", csv.Headers.GetValueOrDefault("content-type") ?? "");
    }

    private static string Digits(string text) => new([.. text.Where(char.IsDigit)]);
}
