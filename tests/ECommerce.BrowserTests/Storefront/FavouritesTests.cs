using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>
/// The heart on cards and product pages, the favourites page, favourites kept in the browser before signing in and
/// merged into the account at sign-in, and "Back in stock" once a sold-out favourite returns.
/// </summary>
[Collection(BrowserAppCollection.Name)]
public sealed class FavouritesTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task A_heart_tapped_before_signing_in_is_kept_in_the_browser_and_joins_the_account_at_registration()
    {
        var page = await fixture.NewPageAsync();
        await Shop.GotoAsync(page, fixture, "/shop?q=boot&inStock=true");
        var card = page.GetByTestId("product-card").First;
        var name = (await card.Locator(".product-card__name").InnerTextAsync()).Trim();
        var slug = (await card.Locator("a.product-card__link").GetAttributeAsync("href"))!;
        var heart = card.GetByTestId("favourite-toggle");
        await Expect(heart).ToHaveAttributeAsync("aria-label", $"Favourite {name}");
        await Expect(heart).ToHaveAttributeAsync("aria-pressed", "false");

        await heart.ClickAsync();
        await Expect(heart).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == ".summit.favourites");
        // Drawn pressed from the first paint of the next load (the server reads the cookie).
        await page.ReloadAsync();
        await Expect(page.GetByTestId("product-card").First.GetByTestId("favourite-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await Shop.WaitUntilInteractiveAsync(page);
        await Screenshots.TakeAsync(page, "storefront-favourite-heart-on-card");

        await page.GetByTestId("nav-favourites").ClickAsync();
        await Expect(page.GetByTestId("favourites-local")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("favourite-item")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("favourite-item")).ToContainTextAsync(name);
        await Screenshots.TakeAsync(page, "storefront-favourites-anonymous");

        await Shop.RegisterAsync(page, fixture, "Fay Vourite", Shop.NewEmail("favourite"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == ".summit.favourites");
        await Shop.GotoAsync(page, fixture, "/favourites");
        var item = page.GetByTestId("favourite-item");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToContainTextAsync(name);
        await Expect(item.GetByTestId("favourite-stock")).ToContainTextAsync("In stock");
        await Expect(page.GetByTestId("favourites-local")).ToHaveCountAsync(0);
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-favourites");
        var audit = new AccessibilityAudit();
        await audit.CheckAsync(page, "favourites");

        // The product page's heart knows it, and the favourites page adds it to the cart.
        await Shop.GotoAsync(page, fixture, "/" + slug);
        await Expect(page.Locator(".buy-box").GetByTestId("favourite-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await audit.CheckAsync(page, "product with a favourite");
        await Shop.GotoAsync(page, fixture, "/favourites");
        await item.GetByTestId("favourite-add-to-cart").ClickAsync();
        await Expect(item.GetByTestId("favourite-added")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");

        await item.GetByTestId("favourite-remove").ClickAsync();
        await Expect(page.GetByTestId("empty-state")).ToBeVisibleAsync();
        await Shop.GotoAsync(page, fixture, "/" + slug);
        await Expect(page.Locator(".buy-box").GetByTestId("favourite-toggle")).ToHaveAttributeAsync("aria-pressed", "false");

        TestContext.Current.TestOutputHelper?.WriteLine(audit.Report());
        Assert.True(audit.BlockingViolations.Count == 0, "axe found critical or serious violations:\n" + audit.Report());
    }

    [Fact]
    public async Task A_favourite_sold_out_when_hearted_shows_back_in_stock_once_stock_returns()
    {
        Assert.SkipWhen(fixture.IsAttached, "Changes stock through the APIs of the app the tests started.");
        using var admin = await AdminAsync();
        // The dearest product: no other browser test shops for it. Its stock is put back whatever happens.
        var listing = await admin.Catalog.GetFromJsonAsync<JsonElement>("/api/catalog/products?sort=price-desc&pageSize=1&inStock=true", Cancellation);
        var productItem = listing.GetProperty("items")[0];
        var detail = await admin.Catalog.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productItem.GetProperty("id").GetInt32()}", Cancellation);
        var stock = new Dictionary<int, int>();
        foreach (var variant in detail.GetProperty("variants").EnumerateArray())
        {
            var id = variant.GetProperty("id").GetInt32();
            stock[id] = (await admin.Catalog.GetFromJsonAsync<JsonElement>($"/api/stock/variants/{id}", Cancellation)).GetProperty("onHand").GetInt32();
        }
        try
        {
            var page = await fixture.NewPageAsync();
            await Shop.RegisterAsync(page, fixture, "Bea Kinstock", Shop.NewEmail("restock"));
            foreach (var id in stock.Keys)
            {
                await admin.SetStockAsync(id, 0);
            }
            await Shop.GotoAsync(page, fixture, "/product/" + detail.GetProperty("slug").GetString());
            var heart = page.Locator(".buy-box").GetByTestId("favourite-toggle");
            await heart.ClickAsync();
            await Expect(heart).ToHaveAttributeAsync("aria-pressed", "true");

            await Shop.GotoAsync(page, fixture, "/favourites");
            var item = page.GetByTestId("favourite-item");
            await Expect(item.GetByTestId("favourite-stock")).ToContainTextAsync("Sold out");
            await Expect(item.GetByTestId("back-in-stock")).ToHaveCountAsync(0);
            await Expect(item.GetByTestId("favourite-add-to-cart")).ToHaveCountAsync(0);

            foreach (var (id, onHand) in stock)
            {
                await admin.SetStockAsync(id, Math.Max(onHand, 3));
            }
            await Shop.GotoAsync(page, fixture, "/favourites");
            await Expect(item.GetByTestId("back-in-stock")).ToHaveTextAsync("Back in stock");
            await Expect(item.GetByTestId("favourite-stock")).ToContainTextAsync("In stock");
            await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-favourites-back-in-stock");
        }
        finally
        {
            foreach (var (id, onHand) in stock)
            {
                await admin.SetStockAsync(id, onHand);
            }
        }
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private async Task<AdminApi> AdminAsync() => new(await fixture.AdminApiClientAsync("catalog-api"));

    private sealed class AdminApi(HttpClient catalog) : IDisposable
    {
        public HttpClient Catalog => catalog;

        public async Task SetStockAsync(int variantId, int onHand)
        {
            using var response = await catalog.PutAsJsonAsync($"/api/stock/variants/{variantId}", new { onHand, reason = "Favourites browser test" }, Cancellation);
            response.EnsureSuccessStatusCode();
        }

        public void Dispose() => catalog.Dispose();
    }
}
