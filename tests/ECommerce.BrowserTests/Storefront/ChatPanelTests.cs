using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>The assistant's chat panel, present on every page.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class ChatPanelTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task The_chat_panel_answers_a_product_question_with_a_product_card()
    {
        var page = await Shop.OpenAsync(fixture, "/shop");

        // Opening the panel puts the keyboard in its text box.
        await page.GetByTestId("chat-toggle").ClickAsync();
        await Expect(page.GetByTestId("chat-input")).ToBeFocusedAsync();
        await Shop.AskAsync(page, "Do you have a waterproof rain jacket?");

        var reply = page.GetByTestId("chat-reply").Last;
        await Expect(reply.Locator(".chat__text")).Not.ToBeEmptyAsync(new() { Timeout = 30_000 });
        var card = reply.GetByTestId("chat-product-card").First;
        await Expect(card).ToBeVisibleAsync();
        // The reply's Markdown (product names in bold) shows as formatting, never as tags.
        await Expect(reply.Locator(".chat__text strong").First).ToBeVisibleAsync();
        await Expect(reply.Locator(".chat__text")).Not.ToContainTextAsync("<strong>");
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-chat");

        // The card links to its product page.
        await card.Locator("a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/product/"));
    }

    [Fact]
    public async Task The_chat_panel_works_on_the_static_sign_in_page_too()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.StorefrontUrl + "/account/login");
        await Expect(page.Locator(".chat[data-interactive=true]")).ToBeAttachedAsync();

        await page.GetByTestId("chat-toggle").ClickAsync();
        await Shop.AskAsync(page, "What sleeping bags do you have?");

        await Expect(page.GetByTestId("chat-reply").Last.Locator(".chat__text")).Not.ToBeEmptyAsync(new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task The_chat_panel_knows_which_product_the_shopper_is_looking_at()
    {
        var page = await Shop.OpenAsync(fixture, "/product/northridge-squall-1-ultralight-tent");

        await page.GetByTestId("chat-toggle").ClickAsync();
        await Expect(page.GetByTestId("chat-panel")).ToContainTextAsync("Northridge Squall 1 Ultralight Tent");
        await Shop.AskAsync(page, "Is this one in stock?");

        await Expect(page.GetByTestId("chat-reply").Last.Locator(".chat__text")).ToContainTextAsync("Squall", new() { Timeout = 30_000 });
    }
}
