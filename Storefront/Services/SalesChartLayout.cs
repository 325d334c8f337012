using System.Globalization;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// The geometry of the sales chart (<c>Components/Shared/SalesChart.razor</c>): a bar per step of the period for its
/// revenue, and the period before it as a line over the same steps (its first step beside the first bar), on one money
/// axis starting at zero. Plain arithmetic, tested on its own.
/// </summary>
public sealed class SalesChartLayout
{
    public const double Width = 480;
    public const double Height = 220;
    public const double Left = 44;
    public const double Right = 8;
    public const double Top = 10;
    public const double Bottom = 26;

    public SalesChartLayout(IReadOnlyList<SalesBucket> buckets, IReadOnlyList<SalesBucket> previous, string currency)
    {
        Steps = Math.Max(1, Math.Max(buckets.Count, previous.Count));
        // Gridlines at a round step (a quarter of the highest revenue, rounded up to 1, 2 or 5 times a power of ten).
        var highest = (double)buckets.Concat(previous).Select(b => b.Revenue).DefaultIfEmpty(0).Max();
        var step = ForecastChartLayout.NiceCeiling(highest / 4);
        Max = Math.Max(1, Math.Ceiling(highest / step)) * step;
        var slot = (Width - Left - Right) / Steps;
        var barWidth = Math.Max(1, slot * 0.7);
        Bars = [.. buckets.Select((b, i) => new Bar(Left + i * slot + (slot - barWidth) / 2, Y((double)b.Revenue), barWidth, b))];
        PreviousLine = string.Join(' ', previous.Select((b, i) => Point(Left + (i + 0.5) * slot, Y((double)b.Revenue))));
        YTicks = [.. Enumerable.Range(0, (int)Math.Round(Max / step) + 1).Select(i => (Y(step * i), Compact(step * i, currency)))];
        XTicks = buckets.Count == 0
            ? []
            : [.. Enumerable.Range(0, Math.Min(5, buckets.Count)).Select(i => buckets.Count == 1 ? 0 : i * (buckets.Count - 1) / Math.Min(4, buckets.Count - 1))
                .Distinct().Select(i => (Left + (i + 0.5) * slot, buckets[i].Start.ToString("d MMM yy", CultureInfo.CurrentCulture)))];
    }

    /// <summary>A bar: its left edge, top and width, and the step it stands for.</summary>
    public sealed record Bar(double X, double Y, double Width, SalesBucket Bucket);

    public int Steps { get; }

    /// <summary>The top of the money axis: a round amount at or above every revenue drawn.</summary>
    public double Max { get; }

    public IReadOnlyList<Bar> Bars { get; }

    public string PreviousLine { get; }

    public IReadOnlyList<(double Y, string Label)> YTicks { get; }

    public IReadOnlyList<(double X, string Label)> XTicks { get; }

    public double PlotLeft => Left;
    public double PlotRight => Width - Right;
    public double PlotBottom => Height - Bottom;

    public double Y(double revenue) => Top + (1 - Math.Clamp(revenue / Max, 0, 1)) * (Height - Top - Bottom);

    /// <summary>An axis label: €0, €500, €12k, €1.5M.</summary>
    public static string Compact(double amount, string currency)
    {
        var symbol = currency switch { "EUR" => "€", "USD" => "$", "GBP" => "£", _ => currency + " " };
        return amount switch
        {
            >= 1_000_000 => symbol + (amount / 1_000_000).ToString("0.#", CultureInfo.CurrentCulture) + "M",
            >= 1_000 => symbol + (amount / 1_000).ToString("0.#", CultureInfo.CurrentCulture) + "k",
            _ => symbol + amount.ToString("0", CultureInfo.CurrentCulture),
        };
    }

    private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
}
