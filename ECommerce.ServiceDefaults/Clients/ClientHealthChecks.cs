using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ECommerce.ServiceDefaults.Health;

namespace ECommerce.ServiceDefaults.Clients;

internal static class ClientHealthChecks
{
    /// <summary>How long a dependency may take to answer a health check before it counts as down.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Adds a "ready" check named after the connection, with a hard time limit.</summary>
    public static void AddReadyCheck(IServiceCollection services, string name, Func<IServiceProvider, IHealthCheck> factory) =>
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            factory,
            failureStatus: HealthStatus.Unhealthy,
            tags: [HealthTags.Ready],
            // The checks stop themselves after CheckTimeout; this is the framework's backstop.
            timeout: CheckTimeout + TimeSpan.FromSeconds(2)));
}
