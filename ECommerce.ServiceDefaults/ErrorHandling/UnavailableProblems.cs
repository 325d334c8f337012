using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace ECommerce.ServiceDefaults.ErrorHandling;

/// <summary>
/// A server this service needs that is down or not answering (PostgreSQL, Redis, another service) answers 503 with
/// <c>Retry-After</c> and a problem saying to try again shortly, instead of a 500. Text PostgreSQL cannot store that got
/// past the input checks answers 400. Anything else is left to the default handler: a 500 with no details.
/// </summary>
internal sealed partial class UnavailableProblems(IProblemDetailsService problems, ILogger<UnavailableProblems> logger) : IExceptionHandler
{
    /// <summary>Seconds a caller is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }
        var (status, title, detail) = Classify(exception);
        if (status == 0)
        {
            return false;
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogUnavailable(exception.GetType().Name, Describe(exception));
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>The answer for an exception, or status 0 when it is not one of ours to answer.</summary>
    internal static (int Status, string? Title, string? Detail) Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: "22021" or "22P05" }:
                    return (StatusCodes.Status400BadRequest, "Bad Request",
                        "The request has text with a character that cannot be stored (such as a NUL character).");
                case PostgresException postgres when IsServerUnavailable(postgres.SqlState):
                case NpgsqlException { InnerException: SocketException or TimeoutException or IOException or EndOfStreamException }:
                case NpgsqlException { IsTransient: true } and not PostgresException:
                    return Unavailable("The database");
                case RedisConnectionException or RedisTimeoutException:
                    return Unavailable("The cache and cart store");
                case BrokenCircuitException or TimeoutRejectedException or HttpRequestException { StatusCode: null }:
                case HttpRequestException { StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout }:
                    return Unavailable("A service this one needs");
            }
        }
        return (0, null, null);
    }

    private static (int, string, string) Unavailable(string what) =>
        (StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            $"{what} is not answering right now. Please try again in a few seconds.");

    // 08: connection exceptions; 57P01-57P03: the server is shutting down or starting; 53300: too many connections.
    private static bool IsServerUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03" or "53300";

    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503: a server this service needs is unavailable ({ExceptionType}: {Reason})")]
    private partial void LogUnavailable(string exceptionType, string reason);
}
