namespace ECommerce.AppHost.Telemetry;

/// <summary>The levels of Microsoft.Extensions.Logging, mapped from OTLP severity numbers.</summary>
public enum LogLevelName
{
    Trace,
    Debug,
    Information,
    Warning,
    Error,
    Critical,
}

/// <summary>One structured log record as received.</summary>
public sealed record LogEntry(
    long Id,
    DateTime TimeUtc,
    string Resource,
    LogLevelName Level,
    string Category,
    string Message,
    IReadOnlyList<KeyValuePair<string, string>> Attributes,
    string? TraceId,
    string? SpanId)
{
    /// <summary>OTLP severity numbers: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal.</summary>
    public static LogLevelName LevelFromSeverity(int severityNumber) => severityNumber switch
    {
        <= 4 => LogLevelName.Trace,
        <= 8 => LogLevelName.Debug,
        <= 12 => LogLevelName.Information,
        <= 16 => LogLevelName.Warning,
        <= 20 => LogLevelName.Error,
        _ => LogLevelName.Critical,
    };
}
