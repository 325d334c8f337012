using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>
/// Product specifications in the shop: the sheet on the product page, spec facets and a spec sort in a category's
/// listing, and the compare view; each page axe-clean at desktop and phone width.
/// </summary>
[Collection(BrowserAppCollection.Name)]
public sealed class ProductSpecsTests(BrowserAppFixture fixture)
{
    private const string Tent = "/product/northridge-squall-1-ultralight-tent";

    [Fact]
    public async Task The_product_page_shows_the_sheet_and_leads_to_a_comparison_with_differences_highlighted()
    {
        var audit = new AccessibilityAudit();
        var page = await Shop.OpenAsync(fixture, Tent);
        var sheet = page.GetByTestId("spec-sheet");
        await Expect(sheet).ToBeVisibleAsync();
        await Expect(sheet.Locator("tr[data-spec=capacity] td")).ToHaveTextAsync("1 person");
        await Expect(sheet.Locator("tr[data-spec=capacity] th")).ToHaveTextAsync("Sleeping capacity");
        await Expect(sheet.Locator("tr[data-spec=weight] td")).ToHaveTextAsync(new Regex(@"^\d{1,3}(,\d{3})? g$"));
        await Expect(sheet.Locator("tr")).ToHaveCountAsync(4);
        // FluentUI labels its text boxes once its script has set them up: audit after that, as a shopper would meet the page.
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Spinbutton, new() { Name = "Quantity" })).ToBeVisibleAsync();
        await audit.CheckAsync(page, "product with specifications");

        // "Compare with similar": this tent beside two more tents.
        await page.GetByTestId("compare-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/compare\?ids=\d+,\d+,\d+$"));
        var table = page.GetByTestId("compare-table");
        await Expect(table.Locator("thead th.compare__product")).ToHaveCountAsync(3);
        await Expect(table.Locator("thead th.compare__product").First).ToContainTextAsync("Squall 1 Ultralight Tent");
        // The capacities differ (this tent sleeps one), and the row says so.
        var capacity = table.Locator("tr[data-spec=capacity]");
        await Expect(capacity).ToHaveAttributeAsync("data-differs", "true");
        await Expect(capacity).ToHaveClassAsync(new Regex("compare__row--differs"));
        await Expect(capacity.Locator("td").First).ToHaveTextAsync("1 person");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(5); // four specs and the brand
        await audit.CheckAsync(page, "compare");

        // Only the differences; then one product fewer.
        await page.GetByTestId("only-differences").ClickAsync();
        await Expect(table.Locator("tbody tr[data-differs=false]")).ToHaveCountAsync(0);
        await table.Locator(".compare__remove").Last.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/compare\?ids=\d+,\d+$"));
        await Expect(table.Locator("thead th.compare__product")).ToHaveCountAsync(2);
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-compare");

        Assert.True(audit.BlockingViolations.Count == 0, "axe found critical or serious violations:\n" + audit.Report());
    }

    [Fact]
    public async Task A_category_listing_filters_by_spec_ranges_and_choices_and_sorts_by_a_spec()
    {
        var audit = new AccessibilityAudit();
        var page = await Shop.OpenAsync(fixture, "/shop?category=tents");
        var capacity = page.GetByTestId("facet-spec-capacity");
        await Expect(capacity).ToBeVisibleAsync();
        await Expect(page.GetByTestId("facet-seasons")).ToBeVisibleAsync();
        // The seed's six tents, and any another test of this shared app has added since.
        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync(new Regex(@"^\s*\d+ products"));
        var shown = int.Parse(Regex.Match(await page.GetByTestId("result-count").InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(shown, 6, 24);
        await audit.CheckAsync(page, "shop with spec facets");

        // Sleeps 4 or more: the family and the tunnel tent.
        await page.GetByTestId("spec-capacity-min").Input().FillAndHoldAsync("4");
        await page.GetByTestId("spec-capacity-go").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"spec=capacity%3A4\.\."));
        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync(new Regex(@"^\s*2 products"));
        var names = await page.GetByTestId("product-card").Locator(".product-card__name").AllTextContentsAsync();
        Assert.All(names, n => Assert.Matches(@" (4 Family|6 Tunnel) Tent$", n));

        // Lightest first, from the sort list the category's sheet adds to.
        await page.GetByTestId("sort").ChooseAsync("spec:weight");
        await Expect(page).ToHaveURLAsync(new Regex("sort=spec%3Aweight"));
        await Expect(page.GetByTestId("product-card").First.Locator(".product-card__name")).ToHaveTextAsync(new Regex("4 Family Tent$"));

        // A choice: the seasons facet's counts add up to the products shown, and picking one narrows them.
        var seasons = page.GetByTestId("facet-seasons").Locator(".facet__value");
        var counts = await page.GetByTestId("facet-seasons").Locator(".facet__count").AllTextContentsAsync();
        Assert.Equal(2, counts.Sum(int.Parse));
        var first = seasons.First;
        var value = await first.GetAttributeAsync("data-value");
        var count = int.Parse(await first.Locator(".facet__count").TextContentAsync() ?? "0");
        await first.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("spec=seasons%3A" + Regex.Escape(Uri.EscapeDataString(value!))));
        await Expect(page.GetByTestId("product-card")).ToHaveCountAsync(count);
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-spec-facets");

        Assert.True(audit.BlockingViolations.Count == 0, "axe found critical or serious violations:\n" + audit.Report());
    }

    [Fact]
    public async Task An_admin_edits_the_sheet_and_a_bad_value_is_shown_under_its_field()
    {
        var admin = await Shop.OpenAsAdminAsync(fixture, "/admin/products/1");
        var form = admin.GetByTestId("specs-form");
        var capacity = form.Locator("[data-spec=capacity]");
        var weight = form.Locator("[data-spec=weight]");
        await Expect(weight.Input()).ToHaveValueAsync("720");

        await capacity.Input().FillAndHoldAsync("99");
        await form.GetByTestId("save-specs").ClickAsync();
        await Expect(capacity.Locator(".form-field__error")).ToHaveTextAsync("Sleeping capacity must be from 1 person to 12 persons.");

        await capacity.Input().FillAndHoldAsync("1");
        await weight.Input().FillAndHoldAsync("730");
        await form.GetByTestId("save-specs").ClickAsync();
        await Expect(form.Locator(".form-saved")).ToHaveTextAsync("Saved the specifications.");
        await Expect(capacity.Locator(".form-field__error")).ToHaveCountAsync(0);
        var page = await Shop.OpenAsync(fixture, Tent);
        await Expect(page.GetByTestId("spec-sheet").Locator("tr[data-spec=weight] td")).ToHaveTextAsync("730 g");

        // Back as seeded.
        await weight.Input().FillAndHoldAsync("720");
        await form.GetByTestId("save-specs").ClickAsync();
        await Expect(form.Locator(".form-saved")).ToHaveTextAsync("Saved the specifications.");
    }
}
