using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ECommerce.ServiceDefaults.Telemetry;

/// <summary>
/// Creates the tracer and meter providers when the host starts (nothing else would ask for them, and
/// without them no span or metric is collected), and flushes them when it stops. The container
/// disposes them afterwards, which shuts the exporters down.
/// </summary>
internal sealed class TelemetryHostedService(IServiceProvider services) : IHostedService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);
    private TracerProvider? _tracerProvider;
    private MeterProvider? _meterProvider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Kept from here: at stop the container may already be shutting down.
        _tracerProvider = services.GetService<TracerProvider>();
        _meterProvider = services.GetService<MeterProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        var milliseconds = (int)FlushTimeout.TotalMilliseconds;
        _tracerProvider?.ForceFlush(milliseconds);
        _meterProvider?.ForceFlush(milliseconds);
        return Task.CompletedTask;
    }
}
