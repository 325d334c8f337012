using System.Net;
using System.Text.Json;

namespace Storefront.Services;

/// <summary>
/// What a backend call gave: the value on success, else the status and a message a shopper can read. Pages show
/// <see cref="Message"/> instead of crashing when a service is down or refuses.
/// </summary>
public sealed record ApiResult<T>(T? Value, HttpStatusCode? Status, string? Message, IReadOnlyDictionary<string, string[]>? Errors = null,
    JsonElement? Problem = null)
{
    public bool Ok => Message is null;

    /// <summary>No answer at all (connection refused, timeout, circuit open).</summary>
    public bool Unreachable => Status is null && Message is not null;

    public bool NotFound => Status == HttpStatusCode.NotFound;

    /// <summary>The service could not do it now (no answer, or 503): worth trying again in a moment.</summary>
    public bool Unavailable => Unreachable || Status == HttpStatusCode.ServiceUnavailable;

    public static ApiResult<T> Success(T value, HttpStatusCode status = HttpStatusCode.OK) => new(value, status, null);

    /// <summary>A problem-details extension member, e.g. <c>available</c> of a 409 stock problem.</summary>
    public int? ProblemInt(string name) =>
        Problem is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty(name, out var value) && value.TryGetInt32(out var number)
            ? number
            : null;

    /// <summary>Every validation message in one line (for forms that show them together).</summary>
    public string AllMessages => Errors is { Count: > 0 } errors
        ? string.Join(" ", errors.SelectMany(e => e.Value))
        : Message ?? "";
}
