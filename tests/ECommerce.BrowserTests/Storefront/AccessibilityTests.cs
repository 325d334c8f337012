using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>
/// Accessibility as a tested property: axe-core on every main page, at desktop and phone width, finds no critical and
/// no serious violation.
/// </summary>
[Collection(BrowserAppCollection.Name)]
public sealed class AccessibilityTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task Every_main_page_has_no_critical_or_serious_axe_violation()
    {
        var audit = new AccessibilityAudit();

        // The pages anyone sees.
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.StorefrontUrl + "/account/login");
        await Expect(page.GetByLabel("Email")).ToBeVisibleAsync();
        await audit.CheckAsync(page, "sign-in");
        await page.GotoAsync(fixture.StorefrontUrl + "/account/register");
        await Expect(page.GetByLabel("Your name")).ToBeVisibleAsync();
        await audit.CheckAsync(page, "register");

        await Shop.GotoAsync(page, fixture, "/");
        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await audit.CheckAsync(page, "home");
        await Shop.GotoAsync(page, fixture, "/shop?q=jacket");
        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await audit.CheckAsync(page, "shop");
        await Shop.GotoAsync(page, fixture, "/product/northridge-squall-1-ultralight-tent");
        await Expect(page.GetByTestId("availability")).ToBeVisibleAsync();
        await audit.CheckAsync(page, "product");

        await page.GetByTestId("chat-toggle").ClickAsync();
        await Shop.AskAsync(page, "Do you have a waterproof rain jacket?");
        await Expect(page.GetByTestId("chat-reply").Last.GetByTestId("chat-product-card").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await audit.CheckAsync(page, "chat panel");

        // A customer's pages: cart, checkout, the order, the order history, the account.
        await Shop.RegisterAsync(page, fixture, "Ada Access", Shop.NewEmail("access"));
        await Shop.AddSocksToCartAsync(page, fixture);
        await Shop.GotoAsync(page, fixture, "/cart");
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await audit.CheckAsync(page, "cart");
        await Shop.GotoAsync(page, fixture, "/checkout");
        await Expect(page.GetByTestId("checkout-form")).ToBeVisibleAsync();
        await audit.CheckAsync(page, "checkout");
        await Shop.CheckOutAsync(page, fixture, "4242 4242 4242 4242");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await audit.CheckAsync(page, "order");
        await Shop.GotoAsync(page, fixture, "/orders");
        await Expect(page.GetByTestId("order-row").First).ToBeVisibleAsync();
        await audit.CheckAsync(page, "orders");
        await Shop.GotoAsync(page, fixture, "/account");
        await Expect(page.GetByTestId("profile-form")).ToBeVisibleAsync();
        await audit.CheckAsync(page, "profile");
        await page.Context.CloseAsync();

        // Every admin page.
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin");
        await Expect(admin.Locator(".admin-card").First).ToBeVisibleAsync();
        await audit.CheckAsync(admin, "admin");
        foreach (var (path, name, content) in new[]
        {
            ("/admin/products", "admin products", "[data-testid=admin-products] tbody tr"),
            ("/admin/products/1", "admin product", "[data-testid=variants] [data-testid=available]"),
            ("/admin/products/new", "admin new product", "[data-testid=product-name]"),
            ("/admin/stock", "admin stock", "[data-testid=low-stock], [data-testid=empty-state]"),
            ("/admin/orders", "admin orders", "[data-testid=admin-orders] tbody a"),
            ("/admin/users", "admin users", "[data-testid=admin-users] tbody tr"),
            ("/admin/forecasts", "admin forecasts", "[data-testid=latest-run]"),
        })
        {
            await Shop.GotoAsync(admin, fixture, path);
            await Expect(admin.Locator(content).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await audit.CheckAsync(admin, name);
        }

        var report = audit.Report();
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        File.WriteAllText(Path.Combine(Screenshots.Directory, "axe-report.txt"), report);
        // The blocking ones on the message's first line: a CI log keeps only that line.
        var blocking = string.Join("; ", audit.BlockingViolations.Select(v =>
            $"{v.Page} ({v.Width}) {v.Violation.Impact} {v.Violation.Id} at {string.Join(", ", v.Violation.Nodes.Take(3).Select(n => n.Target))}"));
        Assert.True(audit.BlockingViolations.Count == 0, $"axe found critical or serious violations: {blocking}\n{report}");
    }
}
