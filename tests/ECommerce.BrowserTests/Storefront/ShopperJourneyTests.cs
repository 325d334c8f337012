using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>A shopper's way through the storefront in Chromium, against the whole app; each step leaves screenshots.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class ShopperJourneyTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task Home_page_shows_categories_and_best_sellers()
    {
        var page = await Shop.OpenAsync(fixture);

        await Expect(page).ToHaveTitleAsync(new Regex("Summit Outfitters"));
        await Expect(page.GetByTestId("category-tile").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("best-sellers").GetByTestId("product-card")).ToHaveCountAsync(8);
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-home");
    }

    [Fact]
    public async Task Search_filters_sort_and_page_live_in_the_url()
    {
        var page = await Shop.OpenAsync(fixture, "/shop?q=jacket");

        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        var total = int.Parse(Regex.Match(await page.GetByTestId("result-count").InnerTextAsync(), @"\d+").Value);

        await page.GetByTestId("facet-size").Locator("a[data-value='M']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"q=jacket.*size=M"));
        await Expect(page.GetByTestId("facet-size").Locator("a[data-value='M']")).ToHaveAttributeAsync("aria-current", "true");
        var withSize = int.Parse(Regex.Match(await page.GetByTestId("result-count").InnerTextAsync(), @"\d+").Value);
        Assert.InRange(withSize, 1, total);

        await page.GetByTestId("sort").ChooseAsync("price-asc");
        await Expect(page).ToHaveURLAsync(new Regex("sort=price-asc"));
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-shop");

        // Reloading the URL gives the same page: the state is in the address.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("facet-size").Locator("a[data-value='M']")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(page.GetByTestId("sort").Locator("[role=combobox]")).ToHaveTextAsync("Price: low to high");
    }

    [Fact]
    public async Task A_shopper_signs_up_searches_picks_a_variant_checks_out_sees_the_order_and_cancels_it()
    {
        var page = await fixture.NewPageAsync();
        await Shop.RegisterAsync(page, fixture, "Robin Walker", Shop.NewEmail());

        // Search from the header.
        await page.GetByLabel("Search the shop").FillAsync("fleece jacket");
        await page.GetByLabel("Search the shop").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/shop\?q=fleece"));
        await Shop.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("product-card").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/product/"));
        await Shop.WaitUntilInteractiveAsync(page);

        // Pick a variant: a size, then a colour that exists in that size.
        var sizes = page.GetByTestId("option-Size").Locator("button.option-chip:not(.is-unavailable):not(.is-sold-out)");
        await sizes.Last.ClickAsync();
        await Expect(sizes.Last).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.GetByTestId("availability")).ToContainTextAsync(new Regex("In stock|left"));
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-product");

        await page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(page.GetByTestId("added")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");

        await page.GetByTestId("nav-cart").ClickAsync();
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-cart");

        await page.GetByTestId("checkout").ClickAsync();
        await Expect(page.GetByTestId("checkout-form")).ToBeVisibleAsync();
        await page.GetByLabel("Address", new() { Exact = true }).Input().FillAsync("12 Larch Lane");
        await page.GetByLabel("Postal code").Input().FillAsync("3500");
        await page.GetByLabel("City").Input().FillAsync("Utrecht");
        await page.GetByLabel("Country").Input().FillAsync("Netherlands");
        await page.GetByTestId("card-number").Input().FillAsync("4242 4242 4242 4242");
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-checkout");
        await page.GetByTestId("place-order").ClickAsync();

        await Expect(page.GetByTestId("order-placed")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        var number = (await page.GetByTestId("order-number").InnerTextAsync()).Replace("Order ", "");
        await Expect(page.GetByTestId("cart-count")).ToHaveCountAsync(0);
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-order");

        await page.GetByRole(AriaRole.Link, new() { Name = "Orders", Exact = true }).First.ClickAsync();
        var row = page.Locator($"[data-testid=order-row][data-number='{number}']");
        await Expect(row).ToBeVisibleAsync();
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-orders");

        await row.ClickAsync();
        await page.GetByTestId("cancel-order").ClickAsync();
        await page.Button("Yes, cancel it").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByTestId("timeline").Locator("[data-status=Cancelled]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cancel-order")).ToHaveCountAsync(0);

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.GetByTestId("nav-sign-in")).ToBeVisibleAsync();
        await page.GotoAsync(fixture.StorefrontUrl + "/orders");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Fact]
    public async Task A_declined_card_is_explained_and_another_card_then_pays_for_the_same_cart()
    {
        var page = await fixture.NewPageAsync();
        await Shop.RegisterAsync(page, fixture, "Dana Decline", Shop.NewEmail());
        await Shop.AddSocksToCartAsync(page, fixture);
        await Shop.CheckOutAsync(page, fixture, "4000 0000 0000 0002");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("declined");
        await Expect(page).ToHaveURLAsync(new Regex("/checkout$"));
        await Screenshots.TakeAsync(page, "storefront-checkout-declined");

        // As the message says: another card, on the same page, for the same cart.
        await page.GetByTestId("card-number").Input().FillAsync("4242 4242 4242 4242");
        await page.GetByTestId("place-order").ClickAsync();
        await Expect(page.GetByTestId("order-placed")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await Expect(page.GetByTestId("cart-count")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_anonymous_cart_survives_signing_in()
    {
        var email = Shop.NewEmail();
        var setup = await fixture.NewPageAsync();
        await Shop.RegisterAsync(setup, fixture, "Sam Ridge", email);
        await setup.Context.CloseAsync();

        var page = await Shop.OpenAsync(fixture, "/shop?q=socks&inStock=true");
        await page.GetByTestId("product-card").First.ClickAsync();
        await Shop.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");

        await Shop.SignInAsync(page, fixture, email, Shop.Password, "/cart");

        await Expect(page).ToHaveURLAsync(new Regex("/cart$"));
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Main_pages_show_their_content_within_a_second()
    {
        var page = await fixture.NewPageAsync();
        var timings = new Dictionary<string, long>
        {
            ["home"] = await Shop.MeasureFirstRenderAsync(page, fixture, "/", "[data-testid=product-card]"),
            ["shop"] = await Shop.MeasureFirstRenderAsync(page, fixture, "/shop?q=tent", "[data-testid=product-card]"),
            ["product"] = await Shop.MeasureFirstRenderAsync(page, fixture, "/product/northridge-squall-1-ultralight-tent", "[data-testid=price]"),
        };

        Assert.All(timings, timing => Assert.True(timing.Value < 1000, $"{timing.Key} took {timing.Value} ms"));
    }

    [Theory]
    [InlineData("de-DE", "599,99 €")]
    [InlineData("en-US", "€599.99")]
    public async Task Prices_are_written_in_the_shoppers_language(string locale, string price)
    {
        var page = await fixture.NewPageAsync(locale);
        await Shop.GotoAsync(page, fixture, "/product/northridge-squall-1-ultralight-tent");

        await Expect(page.GetByTestId("price")).ToHaveTextAsync(price);
    }

    [Fact]
    public async Task Signing_in_with_a_wrong_password_says_so()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.StorefrontUrl + "/account/login");
        await page.GetByLabel("Email").FillAsync("nobody@example.com");
        await page.GetByLabel("Password").FillAsync("Wrong-password-1");
        await page.Button("Sign in").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-sign-in");
    }
}
