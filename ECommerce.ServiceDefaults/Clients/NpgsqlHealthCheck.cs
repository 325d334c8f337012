using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECommerce.ServiceDefaults.Clients;

/// <summary>
/// Runs <c>SELECT 1</c> on a pooled connection, within a time limit. When that fails the pool is cleared:
/// after a PostgreSQL restart or a network cut the idle pooled connections are dead, and clearing them lets
/// the next check (and the app's next query) open fresh ones instead of failing on each stale one in turn.
/// (Npgsql 10 already drops the pool when a connection breaks; clearing here also covers timeouts and
/// keeps the behaviour independent of the driver version.)
/// </summary>
internal sealed partial class NpgsqlHealthCheck(NpgsqlDataSource dataSource, TimeSpan timeout, ILogger<NpgsqlHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);

        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeoutSource.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception)
        {
            dataSource.Clear();
            var reason = timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                ? $"PostgreSQL did not answer within {timeout.TotalSeconds:0.#} s."
                : "PostgreSQL did not answer.";
            LogUnhealthy(context.Registration.Name, exception);
            return new HealthCheckResult(context.Registration.FailureStatus, reason, exception);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Health check {Check} failed; cleared the connection pool")]
    private partial void LogUnhealthy(string check, Exception exception);
}
