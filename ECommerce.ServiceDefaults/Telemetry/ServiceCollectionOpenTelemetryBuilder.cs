using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace ECommerce.ServiceDefaults.Telemetry;

/// <summary>
/// The core OpenTelemetry package ships the DI-friendly <c>WithTracing</c>/<c>WithMetrics</c>/<c>WithLogging</c>
/// extensions on <see cref="IOpenTelemetryBuilder"/>, but the only implementation of it lives in
/// OpenTelemetry.Extensions.Hosting, which does not restore here. This is all it takes.
/// </summary>
internal sealed class ServiceCollectionOpenTelemetryBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
