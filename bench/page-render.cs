#:package Microsoft.Playwright
#:property PublishAot=false
// First meaningful render of storefront pages, as a shopper or admin sees it, in Debian's Chromium: for each PATH, the
// milliseconds from asking for the page until SELECTOR (its first meaningful content) is visible, RUNS times after one
// load to warm up; prints "PATH first=F median=M min=A max=B" (ms). With EMAIL and PASSWORD (not "-") it signs in first.
// Run: dotnet run bench/page-render.cs -- STOREFRONT_URL RUNS EMAIL PASSWORD PATH SELECTOR [PATH SELECTOR...]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

var storefront = args[0].TrimEnd('/');
var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
var (email, password) = (args[2], args[3]);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
page.SetDefaultTimeout(60_000);

if (email != "-")
{
    await page.GotoAsync(storefront + "/account/login");
    await page.GetByLabel("Email").FillAsync(email);
    await page.GetByLabel("Password").FillAsync(password);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await page.GetByTestId("nav-account").WaitForAsync();
}

foreach (var target in args[4..].Chunk(2))
{
    var (path, selector) = (target[0], target[1]);
    var times = new List<long>();
    for (var run = 0; run <= runs; run++)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(storefront + path, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator(selector).First.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        times.Add(clock.ElapsedMilliseconds);
    }
    var measured = times.Skip(1).Order().ToList();
    var median = measured.Count % 2 == 1 ? measured[measured.Count / 2] : (measured[measured.Count / 2 - 1] + measured[measured.Count / 2]) / 2;
    Console.WriteLine($"{path} first={times[0]} median={median} min={measured[0]} max={measured[^1]}");
}
