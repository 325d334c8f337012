#:package Microsoft.Playwright
#:property PublishAot=false
// First meaningful render of storefront pages, as a shopper or admin sees it, in Debian's Chromium: for each PATH, the
// milliseconds from asking for the page until SELECTOR (its first meaningful content) is painted, RUNS times after one
// load to warm up; prints "PATH first=F median=M min=A max=B" (ms), and the medians of the server's first byte and of
// the whole document's arrival. With EMAIL and PASSWORD (not "-") it signs in first.
// The time is taken inside the page (the navigation's clock): a script watches every frame from the document's start and
// notes the frame after the one in which SELECTOR first has a size (so that frame was painted). Waiting for it from
// Playwright instead added its own polling over the DevTools protocol: 0.3-0.4 s a load on this machine.
// Run: dotnet run bench/page-render.cs -- STOREFRONT_URL RUNS EMAIL PASSWORD PATH SELECTOR [PATH SELECTOR...]
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

// Runs in every document from its start; the selector is the one being timed (set below before each target's loads).
await page.AddInitScriptAsync("""
    (() => {
      const selector = sessionStorage.getItem('render-selector');
      const watch = () => {
        const element = selector && document.querySelector(selector);
        const box = element && element.getBoundingClientRect();
        if (box && box.width > 0 && box.height > 0) {
          requestAnimationFrame(() => { window.renderedAt = performance.now(); });
        } else {
          requestAnimationFrame(watch);
        }
      };
      requestAnimationFrame(watch);
    })();
    """);

foreach (var target in args[4..].Chunk(2))
{
    var (path, selector) = (target[0], target[1]);
    await page.EvaluateAsync("selector => sessionStorage.setItem('render-selector', selector)", selector);
    var (times, firstBytes, documents) = (new List<double>(), new List<double>(), new List<double>());
    for (var run = 0; run <= runs; run++)
    {
        await page.GotoAsync(storefront + path, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("() => window.renderedAt !== undefined", null, new() { PollingInterval = 50 });
        var timing = await page.EvaluateAsync<double[]>("""
            () => { const n = performance.getEntriesByType('navigation')[0]; return [window.renderedAt, n.responseStart, n.responseEnd]; }
            """);
        times.Add(timing[0]);
        firstBytes.Add(timing[1]);
        documents.Add(timing[2]);
    }
    Console.WriteLine($"{path} first={times[0]:0} median={Median(times):0} min={times.Skip(1).Min():0} max={times.Skip(1).Max():0} " +
        $"(median first byte {Median(firstBytes):0}, whole document {Median(documents):0})");
}

// The median of the runs after the first (the warm-up).
static double Median(List<double> values)
{
    var measured = values.Skip(1).Order().ToList();
    return measured.Count % 2 == 1 ? measured[measured.Count / 2] : (measured[measured.Count / 2 - 1] + measured[measured.Count / 2]) / 2;
}
