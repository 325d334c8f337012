using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>
/// Ratings and reviews as people see them: stars on cards and the product page, a customer who received a product
/// writes a review and sees it (markup shown as text), an admin hides it with a reason and its author is told why;
/// the pages involved are axe-clean.
/// </summary>
[Collection(BrowserAppCollection.Name)]
public sealed class ReviewsTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task A_customer_who_received_a_product_reviews_it_sees_it_and_an_admin_hides_it_with_a_reason()
    {
        var audit = new AccessibilityAudit();

        // Cards carry stars once the demo history's reviews are in.
        var page = await fixture.NewPageAsync();
        await Shop.GotoUntilAsync(page, fixture, "/shop?sort=rating", page.GetByTestId("product-card").First.GetByTestId("rating-stars"), TimeSpan.FromSeconds(120));
        await Expect(page.GetByTestId("product-card").First.GetByTestId("rating-stars")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(@"^Rated [1-5](\.\d)? out of 5 from \d+ reviews?$"));
        await Screenshots.TakeAsync(page, "storefront-shop-by-rating");

        // A customer buys socks: before they arrive, the product page says why they cannot review yet.
        await Shop.RegisterAsync(page, fixture, "Rowan Reviewer", Shop.NewEmail("reviewer"));
        await Shop.AddSocksToCartAsync(page, fixture);
        var productPath = new Uri(page.Url).AbsolutePath;
        await Shop.CheckOutAsync(page, fixture, "4242 4242 4242 4242");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        var number = (await page.GetByTestId("order-number").InnerTextAsync()).Replace("Order ", "").Trim();
        await Shop.GotoAsync(page, fixture, productPath);
        await Expect(page.GetByTestId("cannot-review")).ToContainTextAsync("received");

        // Delivered: the customer writes a review; markup in it is shown as text.
        await DeliverAsync(number);
        await Shop.GotoAsync(page, fixture, productPath);
        await page.GetByTestId("write-review").ClickAsync();
        await page.GetByTestId("rating-4").CheckAsync(new() { Force = true });
        const string title = "<b>Warm</b> & dry";
        await page.GetByTestId("review-title").Input().FillAndHoldAsync(title);
        await page.GetByTestId("review-body").Input().FillAndHoldAsync("Wore them on a wet week in the hills.\nNo blisters.");
        await audit.CheckAsync(page, "product review form");
        await page.GetByTestId("save-review").ClickAsync();
        var mine = page.GetByTestId("review").Filter(new() { HasText = "Your review" });
        await Expect(mine.Locator(".review__title")).ToHaveTextAsync(title);
        await Expect(mine.Locator(".review__body")).ToContainTextAsync("No blisters.");
        await Expect(mine.GetByTestId("rating-stars")).ToHaveAttributeAsync("data-rating", "4.00");
        await Expect(page.Locator(".review__title b")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("write-review")).ToHaveTextAsync("Edit your review");
        await audit.CheckAsync(page, "product reviews");
        await Screenshots.TakeAsync(page, "storefront-product-reviews");
        var reviewId = await mine.GetAttributeAsync("data-review-id");

        // An admin hides it with a reason; its author is told why.
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin/reviews");
        var row = admin.Locator($"[data-testid=admin-review][data-review-id='{reviewId}']");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await audit.CheckAsync(admin, "admin reviews");
        await row.GetByTestId("hide-review").ClickAsync();
        await row.GetByTestId("hide-reason").Input().FillAndHoldAsync("Off-topic test review");
        await row.GetByTestId("confirm-hide").ClickAsync();
        await Expect(row.GetByTestId("hidden-reason")).ToContainTextAsync("Off-topic test review");
        await Screenshots.TakeAsync(admin, "storefront-admin-reviews");

        await Shop.GotoAsync(page, fixture, productPath);
        await Expect(page.GetByTestId("my-review-hidden")).ToContainTextAsync("Off-topic test review");
        await Expect(page.Locator($"[data-testid=review][data-review-id='{reviewId}']")).ToHaveCountAsync(0);

        var report = audit.Report();
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(audit.BlockingViolations.Count == 0, "axe found critical or serious violations:\n" + report);
    }

    /// <summary>The warehouse ships and delivers the order (the admin's API calls; the admin pages are tested elsewhere).</summary>
    private async Task DeliverAsync(string number)
    {
        using var http = await fixture.AdminApiClientAsync("ordering-api");
        var order = await http.GetFromJsonAsync<JsonElement>($"/api/orders/by-number/{number}", TestContext.Current.CancellationToken);
        var id = order.GetProperty("id").GetInt64();
        foreach (var step in new[] { "ship", "deliver" })
        {
            using var response = await http.PostAsync($"/api/orders/{id}/{step}", null, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }
}
