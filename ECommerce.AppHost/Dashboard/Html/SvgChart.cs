using System.Globalization;
using System.Text;
using ECommerce.AppHost.Telemetry;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Html;

/// <summary>One line of a chart: a value per bin of the window (null: no data, the line breaks).</summary>
internal sealed record ChartLine(string Label, string ColorClass, IReadOnlyList<double?> Values);

/// <summary>
/// A line chart as inline SVG: no script, no library. Each bin has a hover target whose tooltip
/// lists the values at that time.
/// </summary>
internal static class SvgChart
{
    private const int Width = 560;
    private const int Height = 170;
    private const int Left = 52;
    private const int Right = 10;
    private const int Top = 10;
    private const int Bottom = 22;

    public static Markup Render(string title, ChartWindow window, IReadOnlyList<ChartLine> lines, Func<double, string> formatValue, int height = Height)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = height - Top - Bottom;
        var max = NiceCeiling(lines.SelectMany(l => l.Values).OfType<double>().DefaultIfEmpty(0).Max());
        var bins = window.BinCount;
        double X(int bin) => Left + (bin + 0.5) * plotWidth / bins;
        double Y(double value) => Top + plotHeight - value / max * plotHeight;

        var svg = new StringBuilder();
        // Grid and value labels at 0, 1/2 and the top.
        foreach (var fraction in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            var y = Y(max * fraction);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            if (fraction is 0 or 0.5 or 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Encode(formatValue(max * fraction))}</text>");
            }
        }
        // Time labels at the start, middle and end.
        foreach (var bin in new[] { 0, bins / 2, bins - 1 })
        {
            var anchor = bin == 0 ? "start" : bin == bins - 1 ? "end" : "middle";
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{X(bin):0.#}\" y=\"{height - 6}\" text-anchor=\"{anchor}\">{Format.ShortTime(window.BinStart(bin))}</text>");
        }
        foreach (var line in lines)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"series {line.ColorClass}\" d=\"{Path(line.Values, X, Y)}\"/>");
            // Lone points (a value between two gaps) would be invisible as a path.
            for (var i = 0; i < line.Values.Count; i++)
            {
                if (line.Values[i] is { } value && (i == 0 || line.Values[i - 1] is null) && (i == line.Values.Count - 1 || line.Values[i + 1] is null))
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot {line.ColorClass}\" cx=\"{X(i):0.#}\" cy=\"{Y(value):0.#}\" r=\"2\"/>");
                }
            }
        }
        // Hover targets, one per bin.
        var slot = (double)plotWidth / bins;
        for (var i = 0; i < bins; i++)
        {
            var tip = $"{Format.ShortTime(window.BinStart(i))}" + string.Concat(lines.Select(l => $"\n{l.Label}: {(l.Values[i] is { } v ? formatValue(v) : "–")}"));
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"hover\" x=\"{Left + i * slot:0.#}\" y=\"{Top}\" width=\"{slot:0.##}\" height=\"{plotHeight}\"><title>{Encode(tip)}</title></rect>");
        }

        return H($"""
            <figure class="chart">
              <figcaption>{title}</figcaption>
              <svg viewBox="0 0 {Width} {height}" role="img" aria-label="{title}" preserveAspectRatio="xMidYMid meet">{new Markup(svg.ToString())}</svg>
              <div class="legend">{Each(lines, l => H($"<span><i class=\"swatch {l.ColorClass}\"></i>{l.Label}</span>"))}</div>
            </figure>
            """);
    }

    private static string Path(IReadOnlyList<double?> values, Func<int, double> x, Func<double, double> y)
    {
        var path = new StringBuilder();
        var drawing = false;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                drawing = false;
                continue;
            }
            path.Append(CultureInfo.InvariantCulture, $"{(drawing ? 'L' : 'M')}{x(i):0.#} {y(value):0.#} ");
            drawing = true;
        }
        return path.ToString().TrimEnd();
    }

    /// <summary>1, 2, 2.5 or 5 times a power of ten, at or above the value (1 when everything is 0).</summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
}
