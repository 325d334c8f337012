namespace ECommerce.BrowserTests.Infrastructure;

/// <summary>Where the browser tests leave their screenshots (ECOMMERCE_SCREENSHOTS, else /tmp/ecommerce-screenshots).</summary>
public static class Screenshots
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("ECOMMERCE_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "ecommerce-screenshots");

    /// <summary>Saves the whole page as NAME.png and tells the test output where.</summary>
    public static async Task TakeAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
    }
}
