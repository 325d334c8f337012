using System.Net;
using Polly;
using Polly.Timeout;

namespace ECommerce.ServiceDefaults.Resilience;

/// <summary>Which requests may be sent again, and which outcomes are worth another try.</summary>
internal static class HttpRetryRules
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Idempotent methods may be repeated; anything else (POST, PATCH) only when the caller sent an
    /// Idempotency-Key, which tells the server to apply it once however often it arrives.
    /// </summary>
    public static bool IsRetryable(HttpRequestMessage request) =>
        IsIdempotent(request.Method) || request.Headers.Contains(IdempotencyKeyHeader);

    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options ||
        method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;

    /// <summary>Failures that may go away by themselves: network errors, timeouts, 408, 429 and 5xx.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode statusCode) =>
        (int)statusCode >= 500 || statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The delay a Retry-After header asks for, if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
