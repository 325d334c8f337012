namespace ECommerce.AppHost.Telemetry;

/// <summary>A trace as the list shows it.</summary>
public sealed record TraceSummary(
    string TraceId,
    string RootName,
    string RootResource,
    DateTime StartUtc,
    TimeSpan Duration,
    int SpanCount,
    int ErrorCount,
    IReadOnlyList<string> Resources);

/// <summary>What to list: every filter is optional.</summary>
public sealed record TraceQuery(string? Resource = null, string? Text = null, bool ErrorsOnly = false, int Limit = 200);
