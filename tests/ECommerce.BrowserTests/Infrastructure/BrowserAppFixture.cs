using ECommerce.Testing;

namespace ECommerce.BrowserTests.Infrastructure;

/// <summary>The whole app and one headless Chromium, started once for every test class of the collection.</summary>
public sealed class BrowserAppFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium, with the flags that work in this sandbox (see PACKAGES.md).</summary>
    private static readonly BrowserTypeLaunchOptions Chromium = new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    };

    private TestApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public TestApp App => _app ?? throw new InvalidOperationException("The app is not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(Chromium);
    }

    /// <summary>A page in a fresh browser context (its own cookies), the size of a laptop screen.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in to the dashboard through the link the AppHost prints, showing <paramref name="path"/>.</summary>
    public async Task<IPage> NewDashboardPageAsync(string path = "/resources")
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{App.Dashboard.LoginUrl}&returnUrl={Uri.EscapeDataString(path)}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserAppCollection : ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "Whole app in a browser";
}
