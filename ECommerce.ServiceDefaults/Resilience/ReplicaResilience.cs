using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace ECommerce.ServiceDefaults.Resilience;

/// <summary>
/// The standard resilience handler's five strategies, split around service discovery so that a replica that is down or
/// failing costs a caller nothing but a skipped pick, while the other replicas keep serving:
/// <list type="bullet">
/// <item>above discovery, once per call (<see cref="CallPipeline"/>): the concurrency limiter, the total timeout, the
/// retry (<see cref="HttpRetryRules"/>: only what is safe to repeat, after a back-off), and a failover that picks a
/// replica again at once when the one picked was never reached (<see cref="HttpRetryRules.WasNeverSent"/>);</item>
/// <item>below discovery, one pipeline per resolved replica address (<see cref="ReplicaPipeline"/>): the circuit
/// breaker and the attempt timeout. A replica's breaker opens for that replica alone.</item>
/// </list>
/// With the standard handler above discovery (Aspire's template) there is one breaker per service name: a dead replica
/// made it open for every replica. When every replica's breaker is open the failover gives up at once and the call
/// fails with <c>BrokenCircuitException</c> (answered 503 with Retry-After by our problem details).
/// Options are <see cref="HttpStandardResilienceOptions"/> named <see cref="OptionsName"/> (<c>ConfigureAll</c> reaches
/// them too), so a setting means what it means in the standard handler.
/// </summary>
public static class ReplicaResilience
{
    /// <summary>The pipeline each call goes through once, before a replica is picked.</summary>
    public const string CallPipeline = "call";

    /// <summary>The pipeline each attempt goes through, one instance per replica address (scheme, host and port).</summary>
    public const string ReplicaPipeline = "replica";

    /// <summary>The name of the <see cref="HttpStandardResilienceOptions"/> both pipelines read.</summary>
    public const string OptionsName = "ServiceDefaults";

    /// <summary>
    /// Picks made again at once after a replica that was not reached. Round robin alternates between replicas, but
    /// concurrent calls share its counter: eight more picks all landing on the one dead replica of two is 1 in 256.
    /// </summary>
    public const int FailoverAttempts = 8;

    /// <summary>
    /// Adds the call pipeline, service discovery and the per-replica pipeline to the client, in that order (outermost
    /// first). Use instead of <c>AddStandardResilienceHandler()</c> + <c>AddServiceDiscovery()</c>.
    /// </summary>
    public static IHttpClientBuilder AddReplicaAwareResilience(this IHttpClientBuilder http)
    {
        http.AddResilienceHandler(CallPipeline, static (pipeline, context) =>
        {
            var options = context.GetOptions<HttpStandardResilienceOptions>(OptionsName);
            pipeline
                .AddRateLimiter(options.RateLimiter)
                .AddTimeout(options.TotalRequestTimeout)
                .AddRetry(options.Retry)
                .AddRetry(Failover());
        });
        http.AddServiceDiscovery();
        // Below discovery the request's address is the replica's own (http://127.0.0.1:5301), not the service's name.
        http.AddResilienceHandler(ReplicaPipeline, static (pipeline, context) =>
        {
            var options = context.GetOptions<HttpStandardResilienceOptions>(OptionsName);
            pipeline
                .AddCircuitBreaker(options.CircuitBreaker)
                .AddTimeout(options.AttemptTimeout);
        }).SelectPipelineByAuthority();
        return http;
    }

    private static RetryStrategyOptions<HttpResponseMessage> Failover() => new()
    {
        Name = "Failover",
        MaxRetryAttempts = FailoverAttempts,
        Delay = TimeSpan.Zero,
        BackoffType = DelayBackoffType.Constant,
        UseJitter = false,
        ShouldHandle = static args => ValueTask.FromResult(HttpRetryRules.WasNeverSent(args.Outcome.Exception)),
    };
}
