using System.Globalization;
using ECommerce.AppHost.Telemetry.Otlp;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace ECommerce.AppHost.Telemetry;

/// <summary>Turns OTLP messages into the dashboard's records: hex ids, UTC times, attribute values as text.</summary>
internal static class OtlpConverter
{
    /// <summary>Longer attribute values (a stack trace, a big SQL statement) are cut here to bound memory.</summary>
    private const int MaxValueLength = 8_192;

    public static IEnumerable<SpanRecord> ToSpans(ExportTraceServiceRequest request)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = ResourceName(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = StringPool.Share(scopeSpans.Scope?.Name ?? "");
                foreach (var span in scopeSpans.Spans)
                {
                    if (Hex(span.TraceId) is not { } traceId || Hex(span.SpanId) is not { } spanId)
                    {
                        continue; // invalid per the spec: no way to place it
                    }
                    yield return new SpanRecord(
                        traceId,
                        spanId,
                        Hex(span.ParentSpanId),
                        StringPool.Share(span.Name),
                        (SpanKindName)Math.Clamp((int)span.Kind, 0, 5),
                        resource,
                        scope,
                        Time(span.StartTimeUnixNano),
                        Time(span.EndTimeUnixNano),
                        (SpanStatus)Math.Clamp((int)(span.Status?.Code ?? 0), 0, 2),
                        span.Status?.Message is { Length: > 0 } message ? message : null,
                        Attributes(span.Attributes),
                        span.Events.Count == 0 ? [] : span.Events.Select(e => new SpanEventRecord(Time(e.TimeUnixNano), e.Name, Attributes(e.Attributes))).ToList());
                }
            }
        }
    }

    public static IEnumerable<LogEntry> ToLogs(ExportLogsServiceRequest request)
    {
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var resource = ResourceName(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var category = StringPool.Share(scopeLogs.Scope?.Name ?? "");
                foreach (var record in scopeLogs.LogRecords)
                {
                    var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
                    yield return new LogEntry(
                        0,
                        time == 0 ? DateTime.UtcNow : Time(time),
                        resource,
                        Level(record),
                        category,
                        Text(record.Body),
                        Attributes(record.Attributes),
                        Hex(record.TraceId),
                        Hex(record.SpanId));
                }
            }
        }
    }

    public static string ResourceName(Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value is { } name ? StringPool.Share(Text(name)) : "unknown";

    public static IReadOnlyList<KeyValuePair<string, string>> Attributes(RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return [];
        }
        var list = new KeyValuePair<string, string>[attributes.Count];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new(StringPool.Share(attributes[i].Key), StringPool.Share(Text(attributes[i].Value)));
        }
        return list;
    }

    public static string Text(AnyValue? value)
    {
        var text = value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Text)) + "]",
            AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {Text(kv.Value)}")) + "}",
            AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
            _ => "",
        };
        return text.Length > MaxValueLength ? string.Concat(text.AsSpan(0, MaxValueLength), "…") : text;
    }

    /// <summary>Lowercase hex; null for a missing or all-zero id.</summary>
    public static string? Hex(ByteString id)
    {
        var bytes = id.Span;
        if (bytes.IsEmpty || !bytes.ContainsAnyExcept((byte)0))
        {
            return null;
        }
        return Convert.ToHexStringLower(bytes);
    }

    public static DateTime Time(ulong unixNanoseconds) =>
        DateTime.UnixEpoch.AddTicks((long)(unixNanoseconds / 100));

    private static LogLevelName Level(LogRecord record)
    {
        if (record.SeverityNumber != SeverityNumber.Unspecified)
        {
            return LogEntry.LevelFromSeverity((int)record.SeverityNumber);
        }
        return record.SeverityText.ToUpperInvariant() switch
        {
            "TRACE" => LogLevelName.Trace,
            "DEBUG" => LogLevelName.Debug,
            "WARN" or "WARNING" => LogLevelName.Warning,
            "ERROR" or "FAIL" => LogLevelName.Error,
            "FATAL" or "CRITICAL" or "CRIT" => LogLevelName.Critical,
            _ => LogLevelName.Information,
        };
    }
}
