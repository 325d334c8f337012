using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>
/// Picking products to compare on the shop's cards: the "Compare" toggle, the compare bar (kept while moving between
/// listing pages), a pick from another category refused with a way to start again, and the comparison it opens.
/// </summary>
[Collection(BrowserAppCollection.Name)]
public sealed class CompareFromListingTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task Two_tents_picked_on_the_listing_open_the_comparison_and_the_pick_survives_other_listing_pages()
    {
        var audit = new AccessibilityAudit();
        var page = await Shop.OpenAsync(fixture, "/shop?category=tents&sort=name");
        var cards = page.GetByTestId("product-card");
        var names = new List<string>();
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var toggle = cards.Nth(i).GetByTestId("compare-toggle");
            var name = (await cards.Nth(i).Locator(".product-card__name").InnerTextAsync()).Trim();
            await Expect(toggle).ToHaveAttributeAsync("aria-label", $"Compare {name}");
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
            await toggle.ClickAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
            names.Add(name);
            ids.Add((await toggle.GetAttributeAsync("data-product-id"))!);
        }
        var bar = page.GetByTestId("compare-bar");
        await Expect(bar.GetByTestId("compare-item")).ToHaveCountAsync(2);
        await Expect(bar.GetByTestId("compare-count")).ToHaveTextAsync("2 of 4 tents");
        await Expect(bar.GetByTestId("compare-open")).ToContainTextAsync("Compare 2");
        await audit.CheckAsync(page, "shop with the compare bar");
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-compare-bar");

        // Another listing page (sleeping bags, loaded afresh from the server): the pick is still there.
        await Shop.GotoAsync(page, fixture, "/shop?category=sleeping-bags");
        await Expect(bar.GetByTestId("compare-item")).ToHaveCountAsync(2);
        await Expect(bar.GetByTestId("compare-item").First).ToContainTextAsync(names[0]);

        // A sleeping bag is another category: refused with the reason, and the tents stay picked.
        var bag = cards.First;
        await bag.GetByTestId("compare-toggle").ClickAsync();
        await Expect(bar.GetByTestId("compare-notice")).ToContainTextAsync("Only products of one category can be compared: you are comparing tents");
        await Expect(bag.GetByTestId("compare-toggle")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(bar.GetByTestId("compare-item")).ToHaveCountAsync(2);
        await Expect(bar.GetByTestId("compare-start-new")).ToHaveTextAsync("Compare sleeping bags instead");
        await Screenshots.TakeAsync(page, "storefront-compare-bar-other-category");

        await bar.GetByTestId("compare-open").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($@"/compare\?ids={ids[0]},{ids[1]}$"));
        var table = page.GetByTestId("compare-table");
        await Expect(table.Locator("thead th.compare__product")).ToHaveCountAsync(2);
        await Expect(table.Locator("thead th.compare__product").First).ToContainTextAsync(names[0]);
        await Expect(table.Locator("thead th.compare__product").Last).ToContainTextAsync(names[1]);
        await Expect(table.Locator("tr[data-spec=capacity]")).ToBeVisibleAsync();

        // Back in the listing: remove one, then clear; the bar goes.
        await Shop.GotoAsync(page, fixture, "/shop?category=tents&sort=name");
        await bar.GetByTestId("compare-remove").First.ClickAsync();
        await Expect(bar.GetByTestId("compare-item")).ToHaveCountAsync(1);
        await Expect(cards.First.GetByTestId("compare-toggle")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(bar.GetByTestId("compare-open")).ToHaveCountAsync(0);
        await bar.GetByTestId("compare-clear").ClickAsync();
        await Expect(bar).ToHaveCountAsync(0);
        await Expect(cards.Nth(1).GetByTestId("compare-toggle")).ToHaveAttributeAsync("aria-pressed", "false");

        Assert.True(audit.BlockingViolations.Count == 0, "axe found critical or serious violations:\n" + audit.Report());
    }
}
