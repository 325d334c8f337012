using System.Text.RegularExpressions;
using ECommerce.AppHost.Dashboard.Html;
using ECommerce.AppHost.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using static ECommerce.AppHost.Dashboard.Html.Components;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>
/// /console/{name}: what the resource wrote to stdout and stderr this session (every run of it),
/// searchable; the page's script polls /api/console/{name} for new lines.
/// </summary>
internal static partial class ConsolePage
{
    /// <summary>Lines the page starts with (and at most per poll); each resource keeps its last 10,000 (ResourceLog).</summary>
    public const int PageLines = 2_000;

    public static Task HandleAsync(HttpContext context, DashboardServices services)
    {
        var names = services.ResourceNames;
        var name = PageResponses.Route(context, "name");
        if (name.Length == 0)
        {
            context.Response.Redirect($"/console/{names[0]}");
            return Task.CompletedTask;
        }
        if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return PageResponses.NotFoundAsync(context, $"No resource named {name}.");
        }
        var query = PageResponses.Query(context, "q");
        var lines = Read(services, name, 0, query, PageLines);
        var last = lines.Count > 0 ? lines[^1].Number : services.App.GetLogsSince(name, 0, 1).LastOrDefault().Number;
        var body = H($"""
            <nav class="tabs">
              {Each(names, n => H($"<a href=\"{Url($"/console/{n}", ("q", query))}\"{(n == name ? new Markup(" class=\"active\"") : Markup.Empty)}>{n}</a>"))}
            </nav>
            <form class="filters" method="get" action="/console/{name}">
              {SearchBox("q", "Search this resource's output", query)}
              <button type="submit">Search</button>
              {If(query is not null, H($"<a href=\"/console/{name}\">Clear</a>"))}
              <label class="check"><input type="checkbox" id="follow" checked> Follow</label>
              <span class="muted" id="line-count">{lines.Count} lines{(query is null ? Markup.Empty : H($" matching “{query}”"))}</span>
            </form>
            <pre class="console" id="console" data-console="{name}" data-after="{last}" data-q="{query}">{Each(lines, l => Line(l, query))}</pre>
            """);
        return PageResponses.WriteHtmlAsync(context, Layout.Page(services, Section.Console, $"Console: {name}", body));
    }

    /// <summary>GET /api/console/{name}?after=N&amp;q=: the lines numbered after N, as JSON.</summary>
    public static Task ApiAsync(HttpContext context, DashboardServices services)
    {
        var name = PageResponses.Route(context, "name");
        if (!services.ResourceNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return PageResponses.NotFoundAsync(context, $"No resource named {name}.");
        }
        _ = long.TryParse(PageResponses.Query(context, "after"), out var after);
        var lines = Read(services, name, after, PageResponses.Query(context, "q"), PageLines);
        var last = Math.Max(after, services.App.GetLogsSince(name, after, 1).LastOrDefault().Number);
        return PageResponses.WriteJsonAsync(context, new
        {
            last,
            lines = lines.Select(l => new { n = l.Number, time = Format.Time(l.Line.Time), text = Clean(l.Line.Text), error = l.Line.IsError }),
        });
    }

    private static List<NumberedLogLine> Read(DashboardServices services, string name, long after, string? query, int max)
    {
        var lines = services.App.GetLogsSince(name, after, int.MaxValue);
        var matching = query is null ? lines : lines.Where(l => l.Line.Text.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
        return matching.Skip(Math.Max(0, matching.Count - max)).ToList();
    }

    private static Markup Line(NumberedLogLine line, string? query)
    {
        var text = Clean(line.Line.Text);
        return H($"<span class=\"line{(line.Line.IsError ? new Markup(" stderr") : Markup.Empty)}\"><span class=\"ts\">{Format.Time(line.Line.Time)}</span>{Highlight(text, query)}</span>");
    }

    /// <summary>The search term marked in the line (case-insensitive), everything encoded.</summary>
    private static Markup Highlight(string text, string? query)
    {
        if (query is null)
        {
            return H($"{text}");
        }
        var parts = new List<Markup>();
        var position = 0;
        int found;
        while ((found = text.IndexOf(query, position, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            parts.Add(H($"{text[position..found]}<mark>{text.Substring(found, query.Length)}</mark>"));
            position = found + query.Length;
        }
        parts.Add(H($"{text[position..]}"));
        return Markup.Join(parts);
    }

    /// <summary>Terminal color codes mean nothing in a page.</summary>
    private static string Clean(string text) => AnsiEscape().Replace(text, "");

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
