using ECommerce.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>OpenTelemetry set-up built from the core SDK and the OTLP exporter only.</summary>
public static class OpenTelemetryExtensions
{
    /// <summary>
    /// Collects traces, metrics and logs from the framework's built-in sources and from the app's own
    /// ActivitySource/Meter named after the application (<c>IHostEnvironment.ApplicationName</c>).
    /// Exports over OTLP (HTTP/protobuf unless OTEL_EXPORTER_OTLP_PROTOCOL says otherwise) only when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set. The service name is OTEL_SERVICE_NAME, else the application name.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var applicationName = builder.Environment.ApplicationName;
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : applicationName;

        var otel = new ServiceCollectionOpenTelemetryBuilder(builder.Services)
            .ConfigureResource(resource => resource
                .AddService(serviceName)
                .AddAttributes([new("deployment.environment.name", builder.Environment.EnvironmentName)]))
            .WithTracing(tracing => tracing
                .AddSource([.. TelemetryNames.ActivitySources, applicationName]))
            .WithMetrics(metrics => metrics
                .AddMeter([.. TelemetryNames.Meters, applicationName]))
            .WithLogging(configureBuilder: null, configureOptions: logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });

        if (OtlpSettings.FromConfiguration(builder.Configuration) is { } otlp)
        {
            // With HTTP/protobuf the exporter appends /v1/traces, /v1/metrics and /v1/logs to the base URL.
            otel.UseOtlpExporter(otlp.Protocol, otlp.Endpoint);
        }

        // Registered first so the providers exist before any other hosted service starts.
        builder.Services.AddHostedService<TelemetryHostedService>();

        return builder;
    }
}
