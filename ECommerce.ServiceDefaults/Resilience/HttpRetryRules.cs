using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace ECommerce.ServiceDefaults.Resilience;

/// <summary>Which requests the standard resilience handler may send again.</summary>
internal static class HttpRetryRules
{
    /// <summary>The header that tells our services to apply a request once however often it arrives.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) may be repeated; anything else (POST, PATCH)
    /// only when the caller sent an Idempotency-Key.
    /// </summary>
    public static bool IsSafeToRepeat(HttpRequestMessage request) =>
        IsIdempotent(request.Method) || request.Headers.Contains(IdempotencyKeyHeader);

    /// <summary>
    /// A request that never reached a server may be sent to another replica whatever its method: the replica refused
    /// the connection (it is down), or the replica's circuit breaker is open (nothing was sent).
    /// </summary>
    public static bool WasNeverSent(Exception? exception) =>
        exception is BrokenCircuitException or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options ||
        method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;

    /// <summary>The standard handler's first retry delay, when a client keeps it.</summary>
    private static readonly TimeSpan StandardDelay = new HttpRetryStrategyOptions().Delay;

    /// <summary>Our first retry delay (then doubled, with jitter): three retries are over within about 1.5 s.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Keeps the retry strategy's own rule of what is worth another try (network errors, timeouts, 408, 429, 5xx by
    /// default) and adds ours: only requests that are <see cref="IsSafeToRepeat">safe to repeat</see>; never a 500 (a
    /// fault in the called service, which the same request meets again) nor an answer with <c>Retry-After</c> (the
    /// service said when to come back: its caller is told at once instead of waiting). A client that keeps the standard
    /// 2 s first delay gets <see cref="FirstRetryDelay"/>, so a service that is down fails the call fast.
    /// Unlike <c>DisableForUnsafeHttpMethods()</c>, a POST with an Idempotency-Key is retried.
    /// </summary>
    public static void RetryOnlyWhenSafeToRepeat(this HttpRetryStrategyOptions options)
    {
        var isWorthRetrying = options.ShouldHandle;
        options.ShouldHandle = args =>
            (args.Context.GetRequestMessage() is { } request && !IsSafeToRepeat(request)) || IsFinalAnswer(args.Outcome.Result)
                ? ValueTask.FromResult(false)
                : isWorthRetrying(args);
        if (options.Delay == StandardDelay)
        {
            options.Delay = FirstRetryDelay;
        }
    }

    private static bool IsFinalAnswer(HttpResponseMessage? response) =>
        response is not null &&
        (response.StatusCode == System.Net.HttpStatusCode.InternalServerError || response.Headers.RetryAfter is not null);
}
