using System.Globalization;
using System.Text;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// The geometry of the admin forecast chart (an SVG drawn by <c>Components/Shared/ForecastChart.razor</c>): daily units
/// sold, the forecast's mean with its 80% and 95% bands, and the reorder point, on one date axis and one unit axis
/// starting at zero. Plain arithmetic, so it is tested on its own.
/// </summary>
public sealed class ForecastChartLayout
{
    public const double Width = 480;
    public const double Height = 240;
    public const double Left = 36;
    public const double Right = 8;
    public const double Top = 10;
    public const double Bottom = 26;

    private readonly DateOnly _first;
    private readonly int _days;

    public ForecastChartLayout(IReadOnlyList<HistoryPoint> history, IReadOnlyList<ForecastPoint> points, double? reorderPoint)
    {
        var dates = history.Select(h => h.Date).Concat(points.Select(p => p.Date)).ToList();
        _first = dates.Count > 0 ? dates.Min() : DateOnly.FromDateTime(DateTime.UtcNow);
        var last = dates.Count > 0 ? dates.Max() : _first;
        _days = Math.Max(1, last.DayNumber - _first.DayNumber);
        var highest = history.Select(h => h.Units)
            .Concat(points.Select(p => p.Upper95))
            .Append(reorderPoint ?? 0)
            .DefaultIfEmpty(0)
            .Max();
        Max = NiceCeiling(highest);

        HistoryLine = Polyline(history.Select(h => (h.Date, h.Units)));
        MeanLine = Polyline(points.Select(p => (p.Date, p.Mean)));
        Band95 = Band(points, p => p.Lower95, p => p.Upper95);
        Band80 = Band(points, p => p.Lower80, p => p.Upper80);
        ReorderY = reorderPoint is { } level ? Y(level) : null;
        YTicks = [.. Enumerable.Range(0, 5).Select(i => (Y(Max * i / 4), Format.Number(Max * i / 4, "0.#")))];
        XTicks = [.. Enumerable.Range(0, 5).Select(i => _first.AddDays(_days * i / 4)).Select(d => (X(d), d.ToString("d MMM", CultureInfo.CurrentCulture)))];
        ForecastStartX = points.Count > 0 ? X(points[0].Date) : null;
    }

    /// <summary>The top of the unit axis: a round number at or above every value drawn.</summary>
    public double Max { get; }

    public string HistoryLine { get; }
    public string MeanLine { get; }
    public string Band95 { get; }
    public string Band80 { get; }
    public double? ReorderY { get; }
    public double? ForecastStartX { get; }
    public IReadOnlyList<(double Y, string Label)> YTicks { get; }
    public IReadOnlyList<(double X, string Label)> XTicks { get; }

    public double PlotLeft => Left;
    public double PlotRight => Width - Right;
    public double PlotBottom => Height - Bottom;

    public double X(DateOnly date) => Left + (date.DayNumber - _first.DayNumber) / (double)_days * (Width - Left - Right);

    public double Y(double units) => Top + (1 - Math.Clamp(units / Max, 0, 1)) * (Height - Top - Bottom);

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/> (and at least 1).</summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 1)
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 5, 10 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }
        return 10 * power;
    }

    private string Polyline(IEnumerable<(DateOnly Date, double Units)> values) =>
        string.Join(' ', values.Select(v => Point(X(v.Date), Y(v.Units))));

    private string Band(IReadOnlyList<ForecastPoint> points, Func<ForecastPoint, double> lower, Func<ForecastPoint, double> upper)
    {
        if (points.Count == 0)
        {
            return "";
        }
        var path = new StringBuilder("M");
        path.AppendJoin(" L", points.Select(p => Point(X(p.Date), Y(upper(p)))));
        path.Append(" L").AppendJoin(" L", points.Reverse().Select(p => Point(X(p.Date), Y(lower(p)))));
        return path.Append(" Z").ToString();
    }

    private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
}
