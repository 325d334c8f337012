using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ECommerce.ServiceDefaults.Health;

/// <summary>
/// Reports a check as failed once it has run for <paramref name="limit"/>, whether or not it honours cancellation
/// (the registration's own Timeout only cancels the token: Npgsql's check, for one, keeps waiting for the connect
/// timeout, 15 s, on a server that accepts connections and never answers). The abandoned run ends by itself.
/// </summary>
internal sealed class TimeLimitedHealthCheck(IHealthCheck inner, TimeSpan limit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            return await inner.CheckHealthAsync(context, timeout.Token).WaitAsync(limit, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"No answer within {limit.TotalSeconds:0.#} s.", e);
        }
    }
}
