using System.Diagnostics;
using System.Text.RegularExpressions;
using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>What a shopper does in the storefront, step by step, as the tests need it.</summary>
public static class Shop
{
    public static readonly string Password = $"Trail-{Guid.NewGuid():N}-A1"; // one per test run

    /// <summary>
    /// The text box inside a FluentUI field (fluent-text-input, fluent-textarea): its input sits in the component's
    /// shadow root, which Playwright's CSS selectors enter.
    /// </summary>
    public static ILocator Input(this ILocator field) => field.Locator("input, textarea").First;

    /// <summary>
    /// Fills a FluentUI text box and makes sure the value holds: a FluentTextInput that has just rendered copies its
    /// rendered value back onto the box once its script set-up runs (FluentUI 5.1), wiping what was typed a moment
    /// before, as it would for a person typing that fast. Filled again (at most four times) until the value stays.
    /// </summary>
    public static async Task FillAndHoldAsync(this ILocator input, string value)
    {
        for (var attempt = 0; ; attempt++)
        {
            await input.FillAsync(value);
            await input.Page.WaitForTimeoutAsync(300);
            if (await input.InputValueAsync() == value || attempt == 3)
            {
                await Expect(input).ToHaveValueAsync(value);
                return;
            }
        }
    }

    /// <summary>
    /// A button by its text. FluentUI's buttons take their role through ElementInternals, which the browser's
    /// accessibility tree (and so screen readers) sees but Playwright's role selectors do not.
    /// </summary>
    public static ILocator Button(this ILocator scope, string name) =>
        scope.Locator("fluent-button, fluent-anchor-button, button", new() { HasTextRegex = new Regex($@"^\s*{Regex.Escape(name)}\s*$") });

    public static ILocator Button(this IPage page, string name) => page.Locator("body").Button(name);

    /// <summary>
    /// Types a question into the chat panel as soon as it shows, once, and sends it: what is typed as the panel opens
    /// reaches the circuit (Send turns on) and is what gets sent.
    /// </summary>
    public static async Task AskAsync(IPage page, string question)
    {
        await page.GetByTestId("chat-input").Input().FillAsync(question);
        var send = page.GetByTestId("chat-send");
        await Expect(send).Not.ToHaveAttributeAsync("disabled", new Regex(".*"));
        await send.ClickAsync();
        await Expect(page.GetByTestId("chat-user").Last).ToHaveTextAsync(question);
    }

    /// <summary>Chooses the option with this value in a FluentSelect (a fluent-dropdown).</summary>
    public static Task ChooseAsync(this ILocator dropdown, string value) =>
        dropdown.ChooseAsync(dropdown.Locator($"fluent-option[value='{value}']"));

    /// <summary>Chooses the option at this position in a FluentSelect.</summary>
    public static Task ChooseAsync(this ILocator dropdown, int index) => dropdown.ChooseAsync(dropdown.Locator("fluent-option").Nth(index));

    /// <summary>
    /// Opens the dropdown until its list shows and picks the option, again if the list closed first (a click that lands
    /// before FluentUI's script has set the element up opens nothing, and a render of the page around it, such as a form
    /// below it that just loaded, can close an open list: a person would click again).
    /// </summary>
    private static async Task ChooseAsync(this ILocator dropdown, ILocator option)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await dropdown.Locator("[role=combobox]").ClickAsync();
                await option.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 3_000 });
                await option.ClickAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 4)
            {
            }
        }
    }

    public static string NewEmail(string who = "shopper") => $"{who}-{Guid.NewGuid():N}"[..(who.Length + 13)] + "@example.com";

    /// <summary>Opens a storefront path in a fresh browser context and waits until its circuit is up.</summary>
    public static async Task<IPage> OpenAsync(BrowserAppFixture fixture, string path = "/")
    {
        var page = await fixture.NewPageAsync();
        await GotoAsync(page, fixture, path);
        return page;
    }

    public static async Task GotoAsync(IPage page, BrowserAppFixture fixture, string path)
    {
        await page.GotoAsync(fixture.StorefrontUrl + path);
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>
    /// Loads <paramref name="path"/> again every few seconds until <paramref name="content"/> is there, for what the app
    /// writes in the background after its first start (the demo order history), then expects it visible.
    /// </summary>
    public static async Task GotoUntilAsync(IPage page, BrowserAppFixture fixture, string path, ILocator content, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await GotoAsync(page, fixture, path);
        while (DateTime.UtcNow < deadline && !await content.IsVisibleAsync())
        {
            await page.WaitForTimeoutAsync(3_000);
            await GotoAsync(page, fixture, path);
        }
        await Expect(content).ToBeVisibleAsync();
    }

    /// <summary>The layout marks the page once its interactive circuit runs (clicks do something from then on).</summary>
    public static Task WaitUntilInteractiveAsync(IPage page) =>
        Expect(page.GetByTestId("interactive")).ToBeAttachedAsync(new() { Timeout = 30_000 });

    public static async Task RegisterAsync(IPage page, BrowserAppFixture fixture, string name, string email, string? password = null)
    {
        password ??= Password;
        await page.GotoAsync(fixture.StorefrontUrl + "/account/register");
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.Button("Create account").ClickAsync();
        await Expect(page.GetByTestId("nav-account")).ToBeVisibleAsync();
        await WaitUntilInteractiveAsync(page);
    }

    public static async Task SignInAsync(IPage page, BrowserAppFixture fixture, string email, string password, string? returnUrl = null)
    {
        await page.GotoAsync(fixture.StorefrontUrl + "/account/login" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.Button("Sign in").ClickAsync();
        await Expect(page.GetByTestId("nav-account")).ToBeVisibleAsync();
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>Puts a pair of socks that are in stock in the cart.</summary>
    public static async Task AddSocksToCartAsync(IPage page, BrowserAppFixture fixture)
    {
        await GotoAsync(page, fixture, "/shop?q=socks&inStock=true");
        await page.GetByTestId("product-card").First.ClickAsync();
        await WaitUntilInteractiveAsync(page);
        await page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");
    }

    /// <summary>
    /// Fills the checkout page with an address and the card, each until its value holds (a just-rendered FluentTextInput
    /// may wipe a value filled at once), and places the order.
    /// </summary>
    public static async Task CheckOutAsync(IPage page, BrowserAppFixture fixture, string cardNumber)
    {
        await GotoAsync(page, fixture, "/checkout");
        await page.GetByLabel("Address", new() { Exact = true }).Input().FillAndHoldAsync("1 Fell Road");
        await page.GetByLabel("Postal code").Input().FillAndHoldAsync("LA22 9");
        await page.GetByLabel("City").Input().FillAndHoldAsync("Ambleside");
        await page.GetByLabel("Country").Input().FillAndHoldAsync("United Kingdom");
        await page.GetByTestId("card-number").Input().FillAndHoldAsync(cardNumber);
        await page.GetByTestId("place-order").ClickAsync();
    }

    /// <summary>A new customer orders a pair of socks and pays by card; returns the order's number.</summary>
    public static async Task<string> PlacePaidOrderAsync(BrowserAppFixture fixture, string email)
    {
        var page = await fixture.NewPageAsync();
        await RegisterAsync(page, fixture, "Kim Carter", email);
        await AddSocksToCartAsync(page, fixture);
        await CheckOutAsync(page, fixture, "4242 4242 4242 4242");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        var number = (await page.GetByTestId("order-number").InnerTextAsync()).Replace("Order ", "");
        await page.Context.CloseAsync();
        return number;
    }

    public static async Task<IPage> OpenAsAdminAsync(BrowserAppFixture fixture, string path)
    {
        var page = await fixture.NewPageAsync();
        var (email, password) = fixture.AdminCredentials;
        await SignInAsync(page, fixture, email, password, path);
        return page;
    }

    /// <summary>
    /// Loads <paramref name="path"/> and returns the milliseconds until <paramref name="content"/> (its first meaningful
    /// content) is visible: the best of three loads, after one to warm up.
    /// </summary>
    public static async Task<long> MeasureFirstRenderAsync(IPage page, BrowserAppFixture fixture, string path, string content)
    {
        var best = long.MaxValue;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(fixture.StorefrontUrl + path, new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator(content).First.WaitForAsync(new() { State = WaitForSelectorState.Visible });
            if (attempt > 0)
            {
                best = Math.Min(best, clock.ElapsedMilliseconds);
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"First meaningful render of {path}: {best} ms");
        return best;
    }
}
