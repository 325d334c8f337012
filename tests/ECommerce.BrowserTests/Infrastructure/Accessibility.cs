using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace ECommerce.BrowserTests.Infrastructure;

/// <summary>
/// Runs axe-core (Deque.AxeCore.Playwright) on pages at desktop and phone width and keeps what it finds, so that a
/// test can look at many pages and then report every page's violations at once.
/// </summary>
public sealed class AccessibilityAudit
{
    private readonly List<(string Page, string Width, AxeResultItem Violation)> _violations = [];
    private readonly List<string> _pages = [];

    /// <summary>The impacts a page must not have: axe's two highest.</summary>
    public static readonly string[] Blocking = ["critical", "serious"];

    /// <summary>
    /// Runs axe on the page as it is now, at its own width and at a phone's (a screenshot of each, a11y-NAME.png and
    /// a11y-NAME-phone.png), and restores its size.
    /// </summary>
    public async Task CheckAsync(IPage page, string name)
    {
        _pages.Add(name);
        var file = "a11y-" + name.Replace(' ', '-');
        await RunAsync(page, name, "desktop");
        await Screenshots.TakeAsync(page, file);
        var size = page.ViewportSize;
        await page.SetViewportSizeAsync(Screenshots.Phone.Width, Screenshots.Phone.Height);
        await page.WaitForTimeoutAsync(150); // let the layout settle
        await RunAsync(page, name, "phone");
        await Screenshots.TakeAsync(page, file + "-phone");
        if (size is not null)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
        }
    }

    private async Task RunAsync(IPage page, string name, string width)
    {
        await page.EvaluateAsync(SettleScript);
        var result = await page.RunAxe();
        foreach (var violation in result.Violations)
        {
            _violations.Add((name, width, violation));
        }
    }

    /// <summary>
    /// Waits (at most a few seconds) until the page's web components are defined and their transitions have run: a
    /// FluentUI button fades from the inherited colours to its own when its element is defined, and axe measuring the
    /// contrast halfway through that fade reported grey text on a half-painted background that no shopper sees for
    /// longer than a blink.
    /// </summary>
    private const string SettleScript = """
        async () => {
            const timeout = ms => new Promise(resolve => setTimeout(resolve, ms));
            const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
            const tags = [...new Set([...document.querySelectorAll(':not(:defined)')].map(e => e.localName))];
            await Promise.race([Promise.all(tags.map(t => customElements.whenDefined(t))), timeout(5000)]);
            await frame();
            await frame();
            const finite = document.getAnimations().filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime));
            await Promise.race([Promise.all(finite.map(a => a.finished.catch(() => null))), timeout(3000)]);
        }
        """;

    /// <summary>Violations of the blocking impacts, per page and width.</summary>
    public IReadOnlyList<(string Page, string Width, AxeResultItem Violation)> BlockingViolations =>
        [.. _violations.Where(v => Blocking.Contains(v.Violation.Impact))];

    /// <summary>A table per page and width: the count of violations per impact, then each violation with where it is.</summary>
    public string Report()
    {
        var text = new StringBuilder("page | width | critical | serious | moderate | minor\n");
        foreach (var page in _pages)
        {
            foreach (var width in new[] { "desktop", "phone" })
            {
                var found = _violations.Where(v => v.Page == page && v.Width == width).ToList();
                int Count(string impact) => found.Where(v => v.Violation.Impact == impact).Sum(v => v.Violation.Nodes.Length);
                text.AppendLine($"{page} | {width} | {Count("critical")} | {Count("serious")} | {Count("moderate")} | {Count("minor")}");
            }
        }
        foreach (var (page, width, violation) in _violations)
        {
            text.AppendLine($"{page} ({width}) {violation.Impact} {violation.Id}: {violation.Help}");
            foreach (var node in violation.Nodes.Take(3))
            {
                text.AppendLine($"    {node.Target}: {Truncate(node.Html)}");
            }
        }
        return text.ToString();
    }

    private static string Truncate(string html) => html.Length <= 200 ? html : html[..200] + "…";
}
