using System.Globalization;

namespace ECommerce.AppHost.Dashboard.Html;

/// <summary>How numbers, times and durations read on the dashboard.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1 => $"{duration.TotalMicroseconds.ToString("0", Invariant)} µs",
        < 10 => $"{duration.TotalMilliseconds.ToString("0.00", Invariant)} ms",
        < 1000 => $"{duration.TotalMilliseconds.ToString("0.#", Invariant)} ms",
        < 60_000 => $"{duration.TotalSeconds.ToString("0.00", Invariant)} s",
        _ => Uptime(duration),
    };

    public static string Milliseconds(double? milliseconds) => milliseconds switch
    {
        null => "–",
        0 => "0",
        { } ms => Duration(TimeSpan.FromMilliseconds(ms)),
    };

    /// <summary>1d 2h, 2h 5m, 5m 3s, 42s.</summary>
    public static string Uptime(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => $"{(int)span.TotalDays}d {span.Hours}h",
        { TotalHours: >= 1 } => $"{(int)span.TotalHours}h {span.Minutes}m",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes}m {span.Seconds}s",
        _ => $"{Math.Max(0, (int)span.TotalSeconds)}s",
    };

    /// <summary>Local wall-clock time with milliseconds (what a developer compares with console lines).</summary>
    public static string Time(DateTime utc) => utc.ToLocalTime().ToString("HH:mm:ss.fff", Invariant);

    public static string Time(DateTimeOffset time) => time.ToLocalTime().ToString("HH:mm:ss.fff", Invariant);

    public static string ShortTime(DateTime utc) => utc.ToLocalTime().ToString("HH:mm:ss", Invariant);

    public static string Number(double value) => value switch
    {
        0 => "0",
        >= 1_000_000_000 or <= -1_000_000_000 => (value / 1e9).ToString("0.##", Invariant) + "G",
        >= 1_000_000 or <= -1_000_000 => (value / 1e6).ToString("0.##", Invariant) + "M",
        >= 10_000 or <= -10_000 => (value / 1e3).ToString("0.#", Invariant) + "k",
        _ when Math.Abs(value) >= 100 => value.ToString("0", Invariant),
        _ when Math.Abs(value) >= 1 => value.ToString("0.##", Invariant),
        _ => value.ToString("0.###", Invariant),
    };

    public static string Rate(double perSecond) => Number(perSecond) + "/s";

    public static string Percent(double ratio) => (ratio * 100).ToString(ratio is > 0 and < 0.01 ? "0.00" : "0.#", Invariant) + " %";

    public static string ShortId(string id) => id.Length > 8 ? id[..8] : id;
}
