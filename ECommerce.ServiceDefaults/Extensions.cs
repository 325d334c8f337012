using ECommerce.ServiceDefaults;
using ECommerce.ServiceDefaults.Authentication;
using ECommerce.ServiceDefaults.ErrorHandling;
using ECommerce.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Same namespace as Aspire's ServiceDefaults template, so a service's Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every ECommerce service starts with: telemetry, health checks, service discovery,
/// HTTP resilience and problem details.
/// </summary>
public static class Extensions
{
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
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Order matters: resilience is the outer handler, so every retry goes through discovery again
            // (and can land on another instance of the service).
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddServiceDefaultsProblemDetails();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ServiceDefaultsStartupFilter>());

        return builder;
    }

    /// <summary>
    /// Answers input endpoints cannot bind with a 400 saying what was wrong (<c>BadRequestProblems</c>), and maps
    /// <c>/health</c> (every check must be healthy) and <c>/alive</c> (only checks tagged "live").
    /// Both allow anonymous access and are never cached. With <c>AddDefaultAuthentication()</c> it also maps
    /// <c>GET /api/auth/me</c> (who the caller is, as this service reads the token).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // In the app's own pipeline, so inside the developer exception page: bad input never reaches that page.
        app.UseMiddleware<BadRequestProblems>();
        app.MapHealthEndpoints();
        if (app.Services.GetService<DefaultAuthenticationMarker>() is not null)
        {
            app.MapCallerEndpoint();
        }
        return app;
    }
}
