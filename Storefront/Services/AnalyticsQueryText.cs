using System.Globalization;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// The analytics page's choices and addresses: named periods (ending yesterday, the last whole day), steps, time zones,
/// and the links of the page and its CSV for a query, so that a view can be bookmarked and downloaded as shown.
/// </summary>
public static class AnalyticsQueryText
{
    public const string Custom = "custom";
    public const string DefaultPeriod = "30d";

    public static readonly string[] Periods = ["today", "7d", "30d", "90d", "12m", "24m", Custom];

    /// <summary>"" lets the API choose: days up to two months, weeks up to a year, months beyond.</summary>
    public static readonly string[] Intervals = ["", "day", "week", "month"];

    private static readonly string[] CommonZones =
        ["UTC", "Europe/London", "Europe/Berlin", "Europe/Helsinki", "America/New_York", "America/Chicago", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney"];

    public static string PeriodName(string period) => period switch
    {
        "today" => "Today",
        "7d" => "Last 7 days",
        "30d" => "Last 30 days",
        "90d" => "Last 90 days",
        "12m" => "Last 12 months",
        "24m" => "Last 2 years",
        _ => "Chosen dates",
    };

    public static string IntervalName(string interval) => interval switch
    {
        "day" => "Day",
        "week" => "Week",
        "month" => "Month",
        _ => "Automatic",
    };

    /// <summary>The days of a named period: today alone, or whole days up to yesterday.</summary>
    public static (DateOnly From, DateOnly To) Range(string period, DateOnly today)
    {
        var yesterday = today.AddDays(-1);
        return period switch
        {
            "today" => (today, today),
            "7d" => (yesterday.AddDays(-6), yesterday),
            "90d" => (yesterday.AddDays(-89), yesterday),
            "12m" => (yesterday.AddMonths(-12).AddDays(1), yesterday),
            "24m" => (yesterday.AddMonths(-24).AddDays(1), yesterday),
            _ => (yesterday.AddDays(-29), yesterday),
        };
    }

    public static DateOnly Today(string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);

    /// <summary>The zone's name when this machine knows it, else null.</summary>
    public static string? KnownZone(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(name.Trim(), out _) ? name.Trim() : null;

    /// <summary>The zones to choose from: the shop's, the one asked for, and the common ones.</summary>
    public static List<string> Zones(string shopZone, string current) => [.. new[] { shopZone, current }.Concat(CommonZones).Distinct()];

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static string PageLink(SalesAnalyticsQuery query) => "admin/analytics" + QueryString(query);

    public static string PageLink(string period, string timeZone, string interval) =>
        $"admin/analytics?period={Uri.EscapeDataString(period)}&timeZone={Uri.EscapeDataString(timeZone)}"
        + (interval.Length > 0 ? $"&interval={Uri.EscapeDataString(interval)}" : "");

    public static string CsvLink(SalesAnalyticsQuery query) => "admin/analytics.csv" + QueryString(query);

    private static string QueryString(SalesAnalyticsQuery query) =>
        string.Create(CultureInfo.InvariantCulture, $"?from={query.From:yyyy-MM-dd}&to={query.To:yyyy-MM-dd}&timeZone={Uri.EscapeDataString(query.TimeZone)}")
        + (query.Interval.Length > 0 ? $"&interval={Uri.EscapeDataString(query.Interval)}" : "");
}
