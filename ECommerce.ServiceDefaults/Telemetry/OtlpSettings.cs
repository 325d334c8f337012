using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace ECommerce.ServiceDefaults.Telemetry;

/// <summary>Where and how to export, read from the standard OTEL_* settings.</summary>
internal sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol)
{
    /// <summary>Returns null when OTEL_EXPORTER_OTLP_ENDPOINT is not set: then nothing is exported.</summary>
    public static OtlpSettings? FromConfiguration(IConfiguration configuration)
    {
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException($"OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' is not an absolute URI.");
        }

        // HTTP/protobuf unless told otherwise: it needs no HTTP/2 and works through any proxy.
        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw new InvalidOperationException(
                $"OTEL_EXPORTER_OTLP_PROTOCOL '{other}' is not supported: use 'http/protobuf' or 'grpc'."),
        };

        return new OtlpSettings(uri, protocol);
    }
}
