namespace ECommerce.AppHost.Telemetry;

/// <summary>Which structured logs to show: every filter is optional; newest first.</summary>
public sealed record LogQuery(
    string? Resource = null,
    LogLevelName MinLevel = LogLevelName.Trace,
    string? Text = null,
    string? TraceId = null,
    int Limit = 500);
