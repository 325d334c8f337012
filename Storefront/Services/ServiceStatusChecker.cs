using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Storefront.Services;

/// <summary>How one backend service answered its liveness probe.</summary>
/// <param name="Name">The service name, e.g. <c>catalog-api</c>.</param>
/// <param name="Reachable">True when <c>/alive</c> answered with a success status code.</param>
/// <param name="StatusCode">The HTTP status code, or null when no response came back.</param>
/// <param name="LatencyMs">Milliseconds until the response headers (or until the failure).</param>
/// <param name="Error">Why there was no response (timeout, connection refused, ...); null otherwise.</param>
public sealed record ServiceStatus(string Name, bool Reachable, int? StatusCode, long LatencyMs, string? Error);

public sealed record SystemStatus(IReadOnlyList<ServiceStatus> Services);

public sealed class ServiceStatusOptions
{
    public const string SectionName = "ServiceStatus";

    /// <summary>How long to wait for each service's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Calls <c>/alive</c> of every backend service by its service name, all at once, each with a short timeout.
/// A check never throws for a service that is down: it reports it.
/// </summary>
public sealed class ServiceStatusChecker(
    CatalogClient catalog,
    OrderingClient ordering,
    ForecastClient forecast,
    AssistantClient assistant,
    IOptions<ServiceStatusOptions> options,
    ILogger<ServiceStatusChecker> logger)
{
    public async Task<SystemStatus> CheckAsync(CancellationToken cancellationToken = default)
    {
        BackendClient[] backends = [catalog, ordering, forecast, assistant];
        var statuses = await Task.WhenAll(backends.Select(backend => CheckAsync(backend, cancellationToken)));
        return new SystemStatus(statuses);
    }

    private async Task<ServiceStatus> CheckAsync(BackendClient backend, CancellationToken cancellationToken)
    {
        var timeout = options.Value.Timeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);

        var started = Stopwatch.GetTimestamp();
        string error;
        try
        {
            using var response = await backend.GetAliveAsync(timeoutSource.Token);
            return new ServiceStatus(backend.ServiceName, response.IsSuccessStatusCode, (int)response.StatusCode, ElapsedMs(), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"No answer within {timeout.TotalMilliseconds:0} ms";
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Connection refused, unknown host, a service name that discovery cannot resolve, ...
            error = exception.Message;
        }

        var latency = ElapsedMs();
        logger.LogWarning("Service {ServiceName} is unreachable after {LatencyMs} ms: {Error}", backend.ServiceName, latency, error);
        return new ServiceStatus(backend.ServiceName, false, null, latency, error);

        long ElapsedMs() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
