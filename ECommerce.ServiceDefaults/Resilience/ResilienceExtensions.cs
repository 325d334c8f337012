using ECommerce.ServiceDefaults.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>HTTP resilience over Polly.Core (stands in for Microsoft.Extensions.Http.Resilience).</summary>
public static class ResilienceExtensions
{
    /// <summary>
    /// The OTLP exporter sends through IHttpClientFactory clients of these names. It has its own retry and
    /// timeout, so the defaults for all clients leave them out.
    /// </summary>
    private static readonly HashSet<string> OtlpExporterClients = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    /// <summary>
    /// Adds total and per-attempt timeouts (30 s / 10 s), up to 3 retries with exponential back-off and jitter
    /// on network errors, timeouts, 408, 429 and 5xx (idempotent methods only; POST/PATCH only with an
    /// Idempotency-Key header), and a circuit breaker per client and authority.
    /// Failures surface as Polly's TimeoutRejectedException or BrokenCircuitException.
    /// </summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(
        this IHttpClientBuilder builder,
        Action<HttpStandardResilienceOptions>? configure = null)
    {
        var services = builder.Services;
        services.TryAddSingleton<HttpResiliencePipelines>();
        services.AddOptions<HttpStandardResilienceOptions>();

        // A null name (ConfigureHttpClientDefaults) applies to every client.
        if (configure is not null)
        {
            services.Configure(builder.Name, configure);
        }

        // Added through HttpClientFactoryOptions rather than AddHttpMessageHandler to learn the client's name.
        services.Configure<HttpClientFactoryOptions>(builder.Name, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers =>
            {
                var clientName = handlers.Name ?? string.Empty;
                if (builder.Name is null && OtlpExporterClients.Contains(clientName))
                {
                    return;
                }

                handlers.AdditionalHandlers.Add(new ResilienceHandler(
                    clientName,
                    handlers.Services.GetRequiredService<HttpResiliencePipelines>()));
            }));

        return builder;
    }
}
