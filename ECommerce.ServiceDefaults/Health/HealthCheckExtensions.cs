using ECommerce.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Default health checks.</summary>
public static class HealthCheckExtensions
{
    /// <summary>How long a dependency's check may take before it counts as unhealthy.</summary>
    public static readonly TimeSpan DependencyCheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Adds the "self" check (always healthy while the process answers), tagged "live". Every other check (those
    /// Aspire's client integrations add for PostgreSQL and Redis, whenever they are added) is tagged "ready" and gets
    /// a time limit of <see cref="DependencyCheckTimeout"/> unless it has a shorter one: a server that does not
    /// answer makes <c>/health</c> fail within about 3 s, not after the client's connect or command timeout.
    /// </summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);

        // After every Configure, so registrations made after this call are covered too.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => !r.Tags.Contains(HealthTags.Live)))
            {
                registration.Tags.Add(HealthTags.Ready);
                var limit = registration.Timeout > TimeSpan.Zero && registration.Timeout < DependencyCheckTimeout
                    ? registration.Timeout
                    : DependencyCheckTimeout;
                var factory = registration.Factory;
                registration.Factory = services => new TimeLimitedHealthCheck(factory(services), limit);
                // The framework's own limit stays as a backstop only.
                registration.Timeout = limit + TimeSpan.FromSeconds(2);
            }
        });

        return builder;
    }
}
