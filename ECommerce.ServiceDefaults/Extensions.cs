using System.Diagnostics;
using ECommerce.ServiceDefaults;
using ECommerce.ServiceDefaults.Authentication;
using ECommerce.ServiceDefaults.Authentication.KeyRing;
using ECommerce.ServiceDefaults.ErrorHandling;
using ECommerce.ServiceDefaults.Health;
using ECommerce.ServiceDefaults.Resilience;
using ECommerce.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Same namespace as Aspire's ServiceDefaults template, so a service's Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every ECommerce service starts with, in the shape of Aspire's ServiceDefaults template:
/// OpenTelemetry, health checks, service discovery, HTTP resilience, plus our problem details.
/// </summary>
public static class Extensions
{
    /// <summary>Traces we collect besides the instrumented ASP.NET Core and HttpClient ones.</summary>
    private static readonly string[] ExtraActivitySources =
    [
        "Npgsql",
        "StackExchange.Redis",
        SharedKeyRing.ActivitySourceName, // the shared key ring's start-up
    ];

    /// <summary>Meters we collect besides those the ASP.NET Core, HttpClient and runtime instrumentation add.</summary>
    private static readonly string[] ExtraMeters =
    [
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.AspNetCore.Identity",
        "Npgsql",
        "Microsoft.EntityFrameworkCore",
    ];

    /// <summary>The IHttpClientFactory clients the OTLP exporter sends through (HTTP/protobuf).</summary>
    private static readonly string[] OtlpExporterClients = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    /// <summary>
    /// Adds OpenTelemetry, the default health checks, service discovery, the standard resilience handler
    /// on every <see cref="System.Net.Http.HttpClient"/>, and RFC 7807 problem details.
    /// In a web app it also puts the exception handler and status code pages at the front of the pipeline.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        // Retries above discovery (each resolves the service again and can reach another replica), a circuit breaker
        // below it for each replica's own address, shared by every client (ReplicaResilience).
        builder.Services.ConfigureHttpClientDefaults(http => http.AddReplicaAwareResilience());

        // The OTLP exporter retries by itself: its clients keep discovery but not a second layer of retries.
        foreach (var exporterClient in OtlpExporterClients)
        {
            builder.Services.Configure<HttpClientFactoryOptions>(exporterClient, options =>
                options.HttpMessageHandlerBuilderActions.Add(handlers => RemoveResilienceHandlers(handlers.AdditionalHandlers)));
        }

        // Also for standard handlers a client adds itself (after RemoveAllResilienceHandlers), whatever it configures.
        builder.Services.PostConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.RetryOnlyWhenSafeToRepeat());

        builder.Services.AddServiceDefaultsProblemDetails();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ServiceDefaultsStartupFilter>());

        // A stop (Ctrl+C, the dashboard's Stop, an orchestrator's SIGTERM) ends the process within seconds: in-flight requests
        // get 5 s to finish, and background work that is slow to notice the stop (a long import) is not waited for past that.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));

        return builder;
    }

    private static void RemoveResilienceHandlers(IList<DelegatingHandler> handlers)
    {
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            if (handlers[i] is ResilienceHandler)
            {
                handlers.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Logs, metrics and traces: ASP.NET Core, HttpClient and runtime instrumentation, our extra sources and meters,
    /// and the app's own ActivitySource/Meter named after the application (<c>IHostEnvironment.ApplicationName</c>).
    /// Exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set (protocol from OTEL_EXPORTER_OTLP_PROTOCOL,
    /// service name from OTEL_SERVICE_NAME, as the exporter reads them).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var applicationName = builder.Environment.ApplicationName;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. ExtraMeters, applicationName]))
            .WithTracing(tracing => tracing
                .SetTraceSampler(builder.Configuration)
                .AddSource([.. ExtraActivitySources, applicationName])
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = IsTracedRequest)
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Traces this service begins are sampled at most <c>Telemetry:TracesPerSecond</c> a second (default
    /// <see cref="DefaultTracesPerSecond"/>; see <see cref="RateLimitedSampler"/>), and a trace a caller began follows the
    /// caller's decision. OTEL_TRACES_SAMPLER (the OpenTelemetry SDK's own variable) replaces this when it is set.
    /// </summary>
    private static TracerProviderBuilder SetTraceSampler(this TracerProviderBuilder tracing, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_TRACES_SAMPLER"]))
        {
            return tracing;
        }
        var perSecond = configuration.GetValue("Telemetry:TracesPerSecond", DefaultTracesPerSecond);
        return tracing.SetSampler(new ParentBasedSampler(new RateLimitedSampler(perSecond)));
    }

    /// <summary>New traces a second a service records by default: far above what a person clicking through the app starts.</summary>
    public const double DefaultTracesPerSecond = 20;

    /// <summary>
    /// Probes of /health and /alive that start a trace (an orchestrator's, the AppHost's) are not traced, nor is
    /// the work they cause (the SELECT 1 of a database check). A probe made inside a trace (the storefront's status
    /// page calling each backend's /alive) is, so that trace shows both sides of the call.
    /// </summary>
    private static bool IsTracedRequest(HttpContext context) =>
        // The filter runs as the request's activity starts: it is Activity.Current (IHttpActivityFeature is set later).
        !HealthEndpoints.IsProbe(context.Request.Path) || Activity.Current?.HasRemoteParent == true;

    /// <summary>
    /// Answers input endpoints cannot bind with a 400 saying what was wrong (<c>BadRequestProblems</c>), and maps
    /// <c>/health</c> (every check must be healthy) and <c>/alive</c> (only checks tagged "live").
    /// Both allow anonymous access and are never cached. With <c>AddDefaultAuthentication()</c> it also maps
    /// <c>GET /api/auth/me</c> (who the caller is, as this service reads the token), and with <c>AddDefaultOpenApi()</c>
    /// the OpenAPI document.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // In the app's own pipeline, so inside the developer exception page: bad input never reaches that page.
        app.UseMiddleware<BadRequestProblems>();
        app.MapHealthEndpoints();
        app.MapDefaultOpenApi();
        if (app.Services.GetService<DefaultAuthenticationMarker>() is not null)
        {
            app.MapCallerEndpoint();
        }
        return app;
    }
}
