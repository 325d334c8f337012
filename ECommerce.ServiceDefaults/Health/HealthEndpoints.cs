using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ECommerce.ServiceDefaults.Health;

/// <summary>The two probe endpoints every service exposes.</summary>
internal static class HealthEndpoints
{
    /// <summary>Readiness: every registered check (the process and its dependencies).</summary>
    public const string HealthPath = "/health";

    /// <summary>Liveness: only checks tagged <see cref="HealthTags.Live"/> (the process itself).</summary>
    public const string AlivePath = "/alive";

    public static bool IsProbe(PathString path) =>
        path.Equals(HealthPath, StringComparison.OrdinalIgnoreCase) || path.Equals(AlivePath, StringComparison.OrdinalIgnoreCase);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(HealthPath, Options(predicate: null))
            .AllowAnonymous()
            .CacheOutput(policy => policy.NoCache());

        endpoints.MapHealthChecks(AlivePath, Options(predicate: check => check.Tags.Contains(HealthTags.Live)))
            .AllowAnonymous()
            .CacheOutput(policy => policy.NoCache());
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool>? predicate) => new()
    {
        Predicate = predicate,
        AllowCachingResponses = false,
        ResponseWriter = HealthResponseWriter.WriteAsync,
        // 200 only when everything is Healthy: a Degraded dependency takes the instance out of rotation too.
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
