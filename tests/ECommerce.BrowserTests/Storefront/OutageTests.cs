using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>A service that is down shows as a message on the pages that need it; the rest of the shop goes on.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class OutageTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task With_the_catalog_down_the_shop_says_so_and_recovers_when_it_is_back()
    {
        Assert.SkipWhen(fixture.IsAttached, "Stops a service: only against the app the tests started.");
        var page = await fixture.NewPageAsync();

        await fixture.App.StopResourceAsync("catalog-api");
        try
        {
            await Shop.GotoAsync(page, fixture, "/shop?q=tent");
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("catalog is not answering");
            await Expect(page.Button("Try again")).ToBeVisibleAsync();
            await Screenshots.TakeAsync(page, "storefront-catalog-down");

            // Pages that do not need the catalog work as ever.
            await Shop.GotoAsync(page, fixture, "/cart");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your cart", Exact = true })).ToBeVisibleAsync();
        }
        finally
        {
            await fixture.App.StartResourceAsync("catalog-api");
        }
        await fixture.App.WaitForStateAsync("catalog-api", ResourceState.Healthy, TimeSpan.FromSeconds(90));

        // Back again (once the storefront's circuit breaker lets calls through): the same page shows products.
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await Shop.GotoAsync(page, fixture, "/shop?q=tent");
            if (await page.GetByTestId("product-card").CountAsync() > 0)
            {
                break;
            }
            await page.WaitForTimeoutAsync(2_000);
        }
        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("q=tent"));
    }
}
