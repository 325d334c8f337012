namespace ECommerce.BrowserTests.Infrastructure;

/// <summary>
/// Where the browser tests leave their screenshots: <c>screenshots/</c> in the test output, and a copy in
/// ECOMMERCE_SCREENSHOTS (else /tmp/ecommerce-screenshots) to look at after the run.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("ECOMMERCE_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "ecommerce-screenshots");

    public static string OutputDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The width of a phone (an iPhone 14's CSS pixels).</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Saves the whole page as NAME.png and tells the test output where.</summary>
    public static async Task TakeAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(OutputDirectory);
        var path = Path.Combine(OutputDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        File.Copy(path, Path.Combine(Directory, name + ".png"), overwrite: true);
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
    }

    /// <summary>Saves NAME.png at the page's size and NAME-phone.png at a phone's width, then restores the size.</summary>
    public static async Task TakeDesktopAndPhoneAsync(IPage page, string name)
    {
        await TakeAsync(page, name);
        var size = page.ViewportSize;
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await page.WaitForTimeoutAsync(150); // let the layout settle
        await TakeAsync(page, name + "-phone");
        // Responsive down to phone width: nothing sticks out sideways (wide tables scroll inside their own box).
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        if (overflow > 0)
        {
            // Name the culprits: the innermost elements that reach past the screen's right edge.
            var wide = await page.EvaluateAsync<string>("""
                [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                  .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')
                """);
            Assert.Fail($"{name} is {overflow} px wider than a phone's screen: {wide}");
        }
        if (size is not null)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
        }
    }
}
