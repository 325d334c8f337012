using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>Below a product: what was bought with it in real orders, and similar products of its category.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class ProductRecommendationsTests(BrowserAppFixture fixture)
{
    private const string Tent = "/product/northridge-squall-1-ultralight-tent";

    [Fact]
    public async Task A_product_shows_what_was_bought_with_it_and_similar_products_and_they_lead_to_their_pages()
    {
        var page = await fixture.NewPageAsync();
        var together = page.GetByTestId("bought-together").GetByTestId("product-card");
        // The demo order history is written in the background after the first start.
        await Shop.GotoUntilAsync(page, fixture, Tent, together.First, TimeSpan.FromSeconds(90));

        var togetherLinks = await LinksAsync(page, "bought-together");
        var similarLinks = await LinksAsync(page, "similar-products");
        Assert.InRange(togetherLinks.Count, 1, 4);
        Assert.InRange(similarLinks.Count, 1, 4);
        Assert.DoesNotContain(Tent.TrimStart('/'), togetherLinks.Concat(similarLinks));
        Assert.Empty(togetherLinks.Intersect(similarLinks));
        Assert.Equal(togetherLinks.Count + similarLinks.Count, togetherLinks.Concat(similarLinks).Distinct().Count());
        await Screenshots.TakeAsync(page, "storefront-product-recommendations");

        await together.First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(togetherLinks[0]) + "$"));
        await Expect(page.GetByTestId("price")).ToBeVisibleAsync();
    }

    private static async Task<List<string>> LinksAsync(Microsoft.Playwright.IPage page, string section)
    {
        var links = page.GetByTestId(section).Locator("a.product-card__link");
        var found = new List<string>();
        for (var i = 0; i < await links.CountAsync(); i++)
        {
            found.Add(await links.Nth(i).GetAttributeAsync("href") ?? "");
        }
        return found;
    }
}
