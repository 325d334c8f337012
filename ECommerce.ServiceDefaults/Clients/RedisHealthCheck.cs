using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ECommerce.ServiceDefaults.Clients;

/// <summary>
/// PING with a time limit. The multiplexer reconnects by itself (AbortOnConnectFail=false), so the check
/// turns green again once Redis is back, without restarting the service.
/// </summary>
internal sealed class RedisHealthCheck(Func<IConnectionMultiplexer> connection, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The first resolution connects synchronously (up to the connect timeout): keep it inside the limit too.
            var redis = await Task.Run(connection, cancellationToken).WaitAsync(timeout, cancellationToken);
            if (!redis.IsConnected)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected (reconnecting).");
            }

            var latency = await redis.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (TimeoutException exception)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus, $"Redis did not answer within {timeout.TotalSeconds:0.#} s.", exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer.", exception);
        }
    }
}
