using ECommerce.AppHost.Telemetry.Otlp;

namespace ECommerce.AppHost.Telemetry;

/// <summary>Everything the OTLP receiver has stored, bounded by <see cref="TelemetryLimits"/>.</summary>
internal sealed class TelemetryStore(TelemetryLimits limits)
{
    public TelemetryLimits Limits { get; } = limits;

    public TraceStore Traces { get; } = new(limits.MaxSpanCount);

    public LogStore Logs { get; } = new(limits.MaxLogCount);

    public MetricStore Metrics { get; } = new(limits);

    public void Add(ExportTraceServiceRequest request) => Traces.Add(OtlpConverter.ToSpans(request));

    public void Add(ExportLogsServiceRequest request) => Logs.Add(OtlpConverter.ToLogs(request));

    public void Add(ExportMetricsServiceRequest request) => Metrics.Add(request);

}
