using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ECommerce.ServiceDefaults.Resilience;

/// <summary>
/// Builds and keeps one Polly pipeline per client name and authority, so each downstream service
/// gets its own circuit breaker. Strategies, outermost first (as in Microsoft's standard handler):
/// total timeout, retry, circuit breaker, attempt timeout.
/// </summary>
internal sealed partial class HttpResiliencePipelines(
    IOptionsMonitor<HttpStandardResilienceOptions> optionsMonitor,
    ILogger<HttpResiliencePipelines> logger,
    TimeProvider? timeProvider = null)
{
    /// <summary>Carries the request to the strategies' callbacks (they decide on the method and headers).</summary>
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("ECommerce.ServiceDefaults.HttpRequest");

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Client, string Authority), Lazy<ResiliencePipeline<HttpResponseMessage>>> _pipelines = new();

    public ResiliencePipeline<HttpResponseMessage> Get(string clientName, string authority) =>
        _pipelines.GetOrAdd(
            (clientName, authority),
            key => new Lazy<ResiliencePipeline<HttpResponseMessage>>(() => Build(key.Client, key.Authority))).Value;

    private ResiliencePipeline<HttpResponseMessage> Build(string clientName, string authority)
    {
        var options = optionsMonitor.Get(clientName);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = $"{clientName}/{authority}",
            TimeProvider = _time,
        };

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "TotalTimeout", Timeout = options.TotalRequestTimeout });

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(RetryOptions(options));
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(HttpRetryRules.IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                LogCircuitOpened(clientName, authority, args.BreakDuration, Describe(args.Outcome));
                return default;
            },
            OnClosed = _ =>
            {
                LogCircuitClosed(clientName, authority);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout });

        return builder.Build();
    }

    private RetryStrategyOptions<HttpResponseMessage> RetryOptions(HttpStandardResilienceOptions options) => new()
    {
        MaxRetryAttempts = options.MaxRetryAttempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.RetryBaseDelay,
        MaxDelay = options.RetryMaxDelay,
        ShouldHandle = args => ValueTask.FromResult(
            args.Context.Properties.TryGetValue(RequestKey, out var request) &&
            HttpRetryRules.IsRetryable(request) &&
            HttpRetryRules.IsTransient(args.Outcome)),
        DelayGenerator = args =>
        {
            var retryAfter = options.UseRetryAfterHeader ? HttpRetryRules.RetryAfter(args.Outcome.Result, _time) : null;
            return ValueTask.FromResult(retryAfter is { } wait ? (TimeSpan?)(wait < options.RetryMaxDelay ? wait : options.RetryMaxDelay) : null);
        },
        OnRetry = args =>
        {
            args.Context.Properties.TryGetValue(RequestKey, out var request);
            LogRetry(request?.Method.Method, request?.RequestUri, args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome));
            return default;
        },
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? $"{(int?)outcome.Result?.StatusCode} {outcome.Result?.ReasonPhrase}";

    [LoggerMessage(LogLevel.Warning, "Retrying {Method} {Uri} (retry {Retry}) in {Delay} after {Outcome}")]
    private partial void LogRetry(string? method, Uri? uri, int retry, TimeSpan delay, string outcome);

    [LoggerMessage(LogLevel.Warning, "Circuit for client {Client} to {Authority} opened for {BreakDuration} after {Outcome}")]
    private partial void LogCircuitOpened(string client, string authority, TimeSpan breakDuration, string outcome);

    [LoggerMessage(LogLevel.Information, "Circuit for client {Client} to {Authority} closed")]
    private partial void LogCircuitClosed(string client, string authority);
}
