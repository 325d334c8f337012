namespace ECommerce.AppHost.Telemetry;

public enum OtlpSignal
{
    Traces,
    Logs,
    Metrics,
}

/// <summary>One export request as received: stored by the ingestor, off the request path.</summary>
internal readonly record struct OtlpExport(OtlpSignal Signal, byte[] Body, bool IsJson, bool IsGzip);
