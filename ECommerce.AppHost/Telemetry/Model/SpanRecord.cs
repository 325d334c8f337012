namespace ECommerce.AppHost.Telemetry;

public enum SpanKindName
{
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

public enum SpanStatus
{
    Unset,
    Ok,
    Error,
}

/// <summary>One span as received: ids in lowercase hex, times in UTC.</summary>
public sealed record SpanRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    SpanKindName Kind,
    string Resource,
    string Scope,
    DateTime StartUtc,
    DateTime EndUtc,
    SpanStatus Status,
    string? StatusMessage,
    IReadOnlyList<KeyValuePair<string, string>> Attributes,
    IReadOnlyList<SpanEventRecord> Events)
{
    public TimeSpan Duration => EndUtc >= StartUtc ? EndUtc - StartUtc : TimeSpan.Zero;

    public bool IsError => Status == SpanStatus.Error;
}

public sealed record SpanEventRecord(DateTime TimeUtc, string Name, IReadOnlyList<KeyValuePair<string, string>> Attributes);
