using Storefront.Model;
using Storefront.Services;

namespace Storefront.Tests;

/// <summary>The analytics page's chart geometry, named periods, links and CSV.</summary>
public sealed class SalesAnalyticsTextTests
{
    private static readonly DateOnly Day = new(2026, 11, 2);

    [Fact]
    public void Bars_stand_on_the_axis_in_order_and_the_period_before_is_a_line_over_the_same_steps()
    {
        SalesBucket[] now = [new(Day, 120m, 3, 4), new(Day.AddDays(1), 0m, 0, 0), new(Day.AddDays(2), 480m, 9, 11)];
        SalesBucket[] before = [new(Day.AddDays(-3), 100m, 2, 2), new(Day.AddDays(-2), 200m, 4, 5), new(Day.AddDays(-1), 300m, 5, 6)];

        var chart = new SalesChartLayout(now, before, "EUR");

        Assert.Equal(600, chart.Max); // 480 under gridlines every 200
        Assert.Equal(3, chart.Bars.Count);
        Assert.True(chart.Bars[0].X < chart.Bars[1].X && chart.Bars[1].X < chart.Bars[2].X);
        Assert.Equal(chart.PlotBottom, chart.Bars[1].Y); // nothing sold: no height
        Assert.Equal(chart.Y(480), chart.Bars[2].Y);
        Assert.All(chart.Bars, b => Assert.InRange(b.X + b.Width, SalesChartLayout.Left, chart.PlotRight));
        Assert.Equal(3, chart.PreviousLine.Split(' ').Length);
        Assert.Equal(["€0", "€200", "€400", "€600"], chart.YTicks.Select(t => t.Label.Replace(",", ".")));
        Assert.Equal(3, chart.XTicks.Count);
    }

    [Fact]
    public void An_empty_period_draws_no_bar_and_a_one_euro_axis() =>
        Assert.Multiple(
            () => Assert.Empty(new SalesChartLayout([], [], "EUR").Bars),
            () => Assert.Equal(1, new SalesChartLayout([], [], "EUR").Max));

    [Theory]
    [InlineData(950, "€950")]
    [InlineData(12_500, "€12.5k")]
    [InlineData(1_500_000, "€1.5M")]
    public void Axis_labels_are_short(double amount, string expected) =>
        Assert.Equal(expected, SalesChartLayout.Compact(amount, "EUR").Replace(",", "."));

    [Theory]
    [InlineData("today", "2026-11-02", "2026-11-02")]
    [InlineData("7d", "2026-10-26", "2026-11-01")]
    [InlineData("30d", "2026-10-03", "2026-11-01")]
    [InlineData("12m", "2025-11-02", "2026-11-01")]
    [InlineData("24m", "2024-11-02", "2026-11-01")]
    [InlineData("nonsense", "2026-10-03", "2026-11-01")]
    public void Named_periods_are_whole_days_up_to_yesterday(string period, string from, string to) =>
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to)), AnalyticsQueryText.Range(period, Day));

    [Fact]
    public void Links_carry_the_query_and_unknown_zones_are_refused()
    {
        var query = new SalesAnalyticsQuery(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), "America/New_York", "week");
        Assert.Equal("admin/analytics.csv?from=2026-10-01&to=2026-10-31&timeZone=America%2FNew_York&interval=week", AnalyticsQueryText.CsvLink(query));
        Assert.Equal("admin/analytics?from=2026-10-01&to=2026-10-31&timeZone=America%2FNew_York&interval=week", AnalyticsQueryText.PageLink(query));
        Assert.Equal("admin/analytics?period=7d&timeZone=UTC", AnalyticsQueryText.PageLink("7d", "UTC", ""));
        Assert.Equal("Europe/Berlin", AnalyticsQueryText.KnownZone(" Europe/Berlin "));
        Assert.Null(AnalyticsQueryText.KnownZone("Mars/Olympus_Mons"));
        Assert.Null(AnalyticsQueryText.KnownZone(null));
    }

    [Theory]
    [InlineData("Tent", "Tent")]
    [InlineData("Tent, 2 person", "\"Tent, 2 person\"")]
    [InlineData("The \"Quartz\" tent", "\"The \"\"Quartz\"\" tent\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1 tent", "'+1 tent")]
    [InlineData("@home", "'@home")]
    [InlineData("-12.50", "-12.50")]
    public void Csv_cells_are_quoted_when_needed_and_formulas_made_harmless(string text, string expected) =>
        Assert.Equal(expected, AnalyticsCsv.Cell(text));

    [Fact]
    public void The_csv_holds_every_section_the_page_shows()
    {
        var sales = new SalesAnalytics(Day, Day.AddDays(1), Day.AddDays(-2), Day.AddDays(-1), "UTC", "day", "EUR",
            new SalesTotals(150.5m, 2, 3, 75.25m, 2), new SalesTotals(80m, 1, 1, 80m, 1),
            [new(Day, 100m, 1, 2), new(Day.AddDays(1), 50.5m, 1, 1)], [new(Day.AddDays(-2), 80m, 1, 1), new(Day.AddDays(-1), 0m, 0, 0)],
            [new("Camping", 150.5m, 3, 80m)], [new("Summit, Ltd", 150.5m, 3, 80m)],
            [new(7, "Quartz 3 Dome Tent", "Camping", "Summit, Ltd", 150.5m, 3, 2, 80m)],
            new CustomerSplit(1, 1, 100m, 50.5m), new CustomerSplit(1, 0, 80m, 0m));

        var lines = AnalyticsCsv.Write(sales).Split("\r\n");

        Assert.Equal("current,2026-11-02,2026-11-03,UTC,EUR", lines[1]);
        Assert.Contains("revenue,150.5,80", lines);
        Assert.Contains("average order value,75.25,80", lines);
        Assert.Contains("2026-11-03,50.5,1,1,2026-11-01,0,0,0", lines);
        Assert.Contains("Camping,150.5,3,80", lines);
        Assert.Contains("\"Summit, Ltd\",150.5,3,80", lines);
        Assert.Contains("7,Quartz 3 Dome Tent,Camping,\"Summit, Ltd\",150.5,3,2,80", lines);
        Assert.Equal("sales-2026-11-02-to-2026-11-03.csv", AnalyticsCsv.FileName(sales));
    }
}
