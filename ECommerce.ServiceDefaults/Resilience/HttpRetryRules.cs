using Microsoft.Extensions.Http.Resilience;
using Polly;

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

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options ||
        method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;

    /// <summary>
    /// Keeps the retry strategy's own rule of what is worth another try (network errors, timeouts, 408, 429, 5xx by
    /// default) and adds ours: only requests that are <see cref="IsSafeToRepeat">safe to repeat</see>.
    /// Unlike <c>DisableForUnsafeHttpMethods()</c>, a POST with an Idempotency-Key is retried.
    /// </summary>
    public static void RetryOnlyWhenSafeToRepeat(this HttpRetryStrategyOptions options)
    {
        var isWorthRetrying = options.ShouldHandle;
        options.ShouldHandle = args =>
            args.Context.GetRequestMessage() is { } request && !IsSafeToRepeat(request)
                ? ValueTask.FromResult(false)
                : isWorthRetrying(args);
    }
}
