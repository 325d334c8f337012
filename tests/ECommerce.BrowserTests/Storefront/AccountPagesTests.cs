using ECommerce.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ECommerce.BrowserTests.Storefront;

/// <summary>The account page: details, addresses (used at checkout) and the password.</summary>
[Collection(BrowserAppCollection.Name)]
public sealed class AccountPagesTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task A_customer_edits_their_details_address_and_password()
    {
        var email = Shop.NewEmail();
        var page = await fixture.NewPageAsync();
        await Shop.RegisterAsync(page, fixture, "Alex Moss", email);

        await Shop.GotoAsync(page, fixture, "/account");
        var form = page.GetByTestId("profile-form");
        await form.GetByLabel("Phone (optional)").Input().FillAndHoldAsync("+31 6 1234 5678");
        await form.GetByLabel("Address", new() { Exact = true }).Input().FillAndHoldAsync("8 Beech Road");
        await form.GetByLabel("Postal code").Input().FillAndHoldAsync("1012 AB");
        await form.GetByLabel("City").Input().FillAndHoldAsync("Amsterdam");
        await form.GetByLabel("Country").Input().FillAndHoldAsync("Netherlands");
        await form.Button("Save details").ClickAsync();
        await Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        await Screenshots.TakeDesktopAndPhoneAsync(page, "storefront-account");

        await page.ReloadAsync();
        await Shop.WaitUntilInteractiveAsync(page);
        await Expect(page.GetByTestId("profile-form").GetByLabel("City").Input()).ToHaveValueAsync("Amsterdam");

        // A new password works, the old one no longer does.
        var passwords = page.GetByTestId("password-form");
        await passwords.GetByLabel("Current password").Input().FillAndHoldAsync(Shop.Password);
        await passwords.GetByLabel("New password").Input().FillAndHoldAsync("Summit-peak-2027");
        await passwords.Button("Change password").ClickAsync();
        await Expect(page.GetByText("Password changed.")).ToBeVisibleAsync();

        var again = await fixture.NewPageAsync();
        await Shop.SignInAsync(again, fixture, email, "Summit-peak-2027");
    }
}
