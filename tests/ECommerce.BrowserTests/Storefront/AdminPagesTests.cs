using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>The admin pages: refused to customers, stock adjustments reaching the shop, the forecast chart.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class AdminPagesTests(BrowserAppFixture fixture)
{
    private static readonly string[] AdminPaths = ["/admin", "/admin/products", "/admin/products/1", "/admin/stock", "/admin/orders", "/admin/users", "/admin/forecasts"];

    [Fact]
    public async Task A_customer_cannot_open_admin_pages_and_sees_no_admin_menu()
    {
        var page = await fixture.NewPageAsync();
        await Shop.RegisterAsync(page, fixture, "Casey Customer", Shop.NewEmail("customer"));

        await Expect(page.GetByTestId("nav-admin")).ToHaveCountAsync(0);
        foreach (var path in AdminPaths)
        {
            await page.GotoAsync(fixture.StorefrontUrl + path);
            await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
            await Expect(page.Locator(".admin-nav")).ToHaveCountAsync(0);
        }
        await Screenshots.TakeAsync(page, "storefront-admin-refused");
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_sign_in_from_admin_pages()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.StorefrontUrl + "/admin/orders");

        await Expect(page).ToHaveURLAsync(new Regex(@"/account/login\?ReturnUrl=%2Fadmin%2Forders", RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task An_admin_adjusts_stock_and_the_product_page_shows_it()
    {
        // A shopper looks at the grey tent.
        var shopper = await Shop.OpenAsync(fixture, "/product/northridge-squall-1-ultralight-tent");
        await shopper.GetByTestId("option-Colour").GetByRole(AriaRole.Button, new() { Name = "Grey" }).ClickAsync();
        await Expect(shopper.GetByTestId("price")).ToBeVisibleAsync();

        // The admin counts the grey tents and corrects the stock so that 3 are left.
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin/products/1");
        await Expect(admin.GetByTestId("nav-admin")).ToBeVisibleAsync();
        var row = admin.GetByTestId("variants").Locator("tbody tr", new() { HasText = "NR-0001-GREY" });
        await Expect(row.GetByTestId("on-hand")).Not.ToHaveTextAsync("–");
        var available = int.Parse(await row.GetByTestId("available").InnerTextAsync());
        var target = available == 3 ? 2 : 3;
        await row.GetByTestId("adjust-stock").ClickAsync();
        var form = admin.GetByTestId("adjust-form");
        await form.GetByTestId("adjust-kind").ChooseAsync("adjustment");
        await Expect(form.GetByTestId("adjust-kind").Locator("[role=combobox]")).ToHaveTextAsync("Adjustment (+/−)");
        await form.GetByTestId("adjust-quantity").Input().FillAsync((target - available).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await form.GetByTestId("adjust-reason").Input().FillAsync("Stock count after a damaged delivery");
        await Screenshots.TakeAsync(admin, "storefront-admin-product");
        await form.GetByTestId("adjust-save").ClickAsync();
        await Expect(admin.Locator(".error-notice")).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("available")).ToHaveTextAsync(target.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The shopper's page follows at once (CatalogApi's stock events), and a fresh load shows it too.
        await Expect(shopper.GetByTestId("availability")).ToContainTextAsync($"Only {target} left", new() { Timeout = 15_000 });
        var fresh = await Shop.OpenAsync(fixture, "/product/northridge-squall-1-ultralight-tent");
        await fresh.GetByTestId("option-Colour").GetByRole(AriaRole.Button, new() { Name = "Grey" }).ClickAsync();
        await Expect(fresh.GetByTestId("availability")).ToContainTextAsync($"Only {target} left");
        await Screenshots.TakeAsync(fresh, "storefront-product-few-left");

        // The last ones go: the shop says it is sold out and when it is expected back (ForecastWorker's estimate).
        await row.GetByTestId("adjust-stock").ClickAsync();
        await form.GetByTestId("adjust-kind").ChooseAsync("adjustment");
        await Expect(form.GetByTestId("adjust-kind").Locator("[role=combobox]")).ToHaveTextAsync("Adjustment (+/−)");
        await form.GetByTestId("adjust-quantity").Input().FillAsync((-target).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await form.GetByTestId("adjust-reason").Input().FillAsync("Found damaged in the count");
        await form.GetByTestId("adjust-save").ClickAsync();
        await Expect(row.GetByTestId("available")).ToHaveTextAsync("0");
        await Expect(shopper.GetByTestId("availability")).ToContainTextAsync("Sold out", new() { Timeout = 15_000 });
        await Expect(shopper.GetByTestId("restock")).ToContainTextAsync(new Regex(@"back in about \d+ days?"));
        // A FluentUI button (a web component): disabled by its attribute.
        await Expect(shopper.GetByTestId("add-to-cart")).ToHaveAttributeAsync("disabled", new Regex(".*"));
        await Screenshots.TakeDesktopAndPhoneAsync(shopper, "storefront-product-sold-out");
    }

    [Fact]
    public async Task The_admin_pages_show_orders_users_and_low_stock()
    {
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin");
        await Expect(admin.Locator(".admin-card")).ToHaveCountAsync(3);
        await Screenshots.TakeDesktopAndPhoneAsync(admin, "storefront-admin-home");

        await Shop.GotoUntilAsync(admin, fixture, "/admin/orders", admin.GetByTestId("admin-orders").Locator("tbody a").First, TimeSpan.FromSeconds(90));
        await Screenshots.TakeAsync(admin, "storefront-admin-orders");

        await Shop.GotoAsync(admin, fixture, "/admin/users");
        await Expect(admin.GetByTestId("admin-users").Locator("tbody tr").First).ToBeVisibleAsync();
        await Screenshots.TakeAsync(admin, "storefront-admin-users");

        await Shop.GotoAsync(admin, fixture, "/admin/products");
        await Expect(admin.GetByTestId("admin-products").Locator("tbody tr").First).ToBeVisibleAsync();
        await Screenshots.TakeAsync(admin, "storefront-admin-products");

        await Shop.GotoAsync(admin, fixture, "/admin/stock");
        await Expect(admin.GetByTestId("low-stock").Or(admin.GetByTestId("empty-state"))).ToBeVisibleAsync();
        await Screenshots.TakeAsync(admin, "storefront-admin-low-stock");
    }

    [Fact]
    public async Task An_admin_ships_and_delivers_a_paid_order()
    {
        // A customer's own order, not one of the demo history's (which may not be written yet when this test runs).
        var email = Shop.NewEmail("buyer");
        var number = await Shop.PlacePaidOrderAsync(fixture, email);
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin/orders?status=Paid");
        await admin.GetByLabel("Customer email").Input().FillAsync(email);
        await admin.Button("Filter").ClickAsync();
        var row = admin.GetByTestId("admin-orders").Locator("tbody tr", new() { HasText = number });
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Paid");

        await row.Button("Ship").ClickAsync();
        // Filtered on Paid, the shipped order leaves the list; all the customer's orders show its new status.
        await Expect(row).ToHaveCountAsync(0);
        await admin.GetByTestId("order-status-filter").ChooseAsync("");
        await admin.Button("Filter").ClickAsync();
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Shipped");
        await row.Button("Delivered").ClickAsync();
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Delivered");
    }

    [Fact]
    public async Task An_admin_creates_a_product_with_a_variant_per_option_combination()
    {
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin/products/new");
        var name = $"Test Trail Cap {Guid.NewGuid():N}"[..24];

        await admin.GetByTestId("product-name").Input().FillAsync(name);
        await admin.GetByTestId("product-description").Input().FillAsync("A light cap for long days on the trail.");
        // The first brand, and the first category below a top category.
        await admin.GetByTestId("product-brand").ChooseAsync(0);
        await admin.GetByTestId("product-category").ChooseAsync(1);
        await admin.GetByTestId("product-options").Input().FillAsync("Size: S/M, L/XL\nColour: Sand, Olive");
        await admin.GetByTestId("sku-prefix").Input().FillAsync("TC-" + name[^6..]);
        await admin.GetByTestId("product-price").Input().FillAsync("24.95");
        await admin.GetByTestId("create-product").ClickAsync();

        await Expect(admin).ToHaveURLAsync(new Regex(@"/admin/products/\d+$"));
        await Expect(admin.GetByTestId("variants").Locator("tbody tr")).ToHaveCountAsync(4);
        await Screenshots.TakeAsync(admin, "storefront-admin-product-created");
    }

    [Fact]
    public async Task The_admin_forecast_page_draws_a_chart()
    {
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin/forecasts");
        var chart = admin.GetByTestId("forecast-chart").Locator("svg path");

        // The worker forecasts on its first start; until that run is done, ask for one and look again.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await chart.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            if (await admin.Button("Run forecasts now").IsVisibleAsync()
                && await admin.GetByTestId("latest-run").InnerTextAsync() is var text && text.Contains("No forecast", StringComparison.Ordinal))
            {
                await admin.Button("Run forecasts now").ClickAsync();
            }
            await admin.WaitForTimeoutAsync(5_000);
            await Shop.GotoAsync(admin, fixture, "/admin/forecasts");
            await admin.WaitForTimeoutAsync(1_000);
        }

        await Expect(chart.First).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("forecast-model")).ToContainTextAsync("Model");
        await Expect(admin.GetByTestId("latest-run")).ToContainTextAsync("Status");
        await Screenshots.TakeDesktopAndPhoneAsync(admin, "storefront-admin-forecasts");
    }
}
