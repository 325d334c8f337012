using ECommerce.AppHost.Telemetry;

namespace ECommerce.AppHost.Dashboard.Pages;

/// <summary>One row of a trace's waterfall: a span, how deep it sits, and where its bar goes (percent of the trace).</summary>
internal sealed record WaterfallRow(SpanRecord Span, int Depth, double OffsetPercent, double WidthPercent, bool ParentMissing);

/// <summary>Orders a trace's spans as a tree (children under their parent, by start time) and lays out their bars.</summary>
internal static class Waterfall
{
    public static IReadOnlyList<WaterfallRow> Layout(IReadOnlyList<SpanRecord> spans)
    {
        if (spans.Count == 0)
        {
            return [];
        }
        var start = spans.Min(s => s.StartUtc);
        var end = spans.Max(s => s.EndUtc);
        var total = Math.Max(1, (end - start).Ticks);
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartUtc).ToList(), StringComparer.Ordinal);
        var roots = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartUtc);

        var rows = new List<WaterfallRow>(spans.Count);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Visit(SpanRecord span, int depth)
        {
            if (!visited.Add(span.SpanId))
            {
                return; // a cycle in bad data must not loop forever
            }
            var offset = 100.0 * (span.StartUtc - start).Ticks / total;
            var width = 100.0 * span.Duration.Ticks / total;
            rows.Add(new WaterfallRow(span, depth, offset, width, span.ParentSpanId is not null && !ids.Contains(span.ParentSpanId)));
            foreach (var child in children.GetValueOrDefault(span.SpanId, []))
            {
                Visit(child, depth + 1);
            }
        }
        foreach (var root in roots)
        {
            Visit(root, 0);
        }
        return rows;
    }
}
