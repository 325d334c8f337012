using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>Every step of buying, with the keyboard alone: Tab to move, Enter or Space to act, typing to fill in.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class KeyboardTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task A_shopper_buys_a_product_with_the_keyboard_only()
    {
        var page = await fixture.NewPageAsync();
        await Shop.RegisterAsync(page, fixture, "Kai Keys", Shop.NewEmail("keys"));
        await Shop.GotoAsync(page, fixture, "/");

        // Search from the header.
        await TabToAsync(page, page.GetByLabel("Search the shop"));
        await page.Keyboard.TypeAsync("socks");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/shop\?q=socks"));
        await Shop.WaitUntilInteractiveAsync(page);

        // Open the first product, put it in the cart.
        await TabToAsync(page, page.GetByTestId("product-card").First.Locator("a"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/product/"));
        await Shop.WaitUntilInteractiveAsync(page);
        var size = page.GetByTestId("option-Size").Locator("button.option-chip:not(.is-unavailable):not(.is-sold-out)").First;
        if (await size.CountAsync() > 0)
        {
            await TabToAsync(page, size);
            await page.Keyboard.PressAsync("Space");
            await Expect(size).ToHaveAttributeAsync("aria-pressed", "true");
        }
        await TabToAsync(page, page.GetByTestId("add-to-cart"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");

        // To the cart and on to the checkout; focus shows where the shopper is.
        var cartLink = page.GetByTestId("nav-cart");
        await TabToAsync(page, cartLink, backwards: true);
        Assert.NotEqual("none", await cartLink.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await TabToAsync(page, page.GetByTestId("checkout"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("checkout-form")).ToBeVisibleAsync();

        // The address and the card, typed in; then the order.
        foreach (var (label, text) in new[] { ("Address", "3 Heather Way"), ("Postal code", "EH1 1AA"), ("City", "Edinburgh"), ("Country", "United Kingdom") })
        {
            var field = page.GetByLabel(label, new() { Exact = true }).First;
            await TabToAsync(page, field);
            await TypeUntilItHoldsAsync(page, field.Input(), text);
        }
        await TabToAsync(page, page.GetByTestId("card-number"));
        await TypeUntilItHoldsAsync(page, page.GetByTestId("card-number").Input(), "4242 4242 4242 4242");
        await TabToAsync(page, page.GetByTestId("place-order"));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByTestId("order-placed")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
    }

    /// <summary>Presses Tab (or Shift+Tab) until the element, or a control inside it, has the keyboard focus.</summary>
    private static async Task TabToAsync(IPage page, ILocator target, bool backwards = false)
    {
        for (var presses = 0; presses < 120; presses++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement || e.contains(document.activeElement)"))
            {
                return;
            }
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }
        Assert.Fail($"Tab never reached {target}.");
    }

    /// <summary>
    /// Types into the focused field, and again (all of it selected, still from the keyboard) if a render of the
    /// circuit dropped keys while they were typed, until the field holds the text.
    /// </summary>
    private static async Task TypeUntilItHoldsAsync(IPage page, ILocator input, string text)
    {
        for (var attempt = 0; ; attempt++)
        {
            await page.Keyboard.TypeAsync(text);
            await page.WaitForTimeoutAsync(300);
            if (await input.InputValueAsync() == text || attempt == 3)
            {
                await Expect(input).ToHaveValueAsync(text);
                return;
            }
            await page.Keyboard.PressAsync("Control+A");
        }
    }
}
