namespace ECommerce.ServiceDefaults.Resilience;

/// <summary>
/// Settings of the standard resilience handler (the defaults follow Microsoft.Extensions.Http.Resilience).
/// Configure per client with <c>services.Configure&lt;HttpStandardResilienceOptions&gt;("clientName", ...)</c>,
/// or for every client with <c>ConfigureAll</c>. They are read when a client first calls an authority.
/// </summary>
public sealed class HttpStandardResilienceOptions
{
    /// <summary>The whole call, all retries and delays included. Default 30 s.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt; 0 turns retries off. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the exponential back-off (with jitter). Default 2 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of one delay, also for a server's Retry-After. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait as long as a 429/503 response's Retry-After header asks (up to <see cref="RetryMaxDelay"/>). Default true.</summary>
    public bool UseRetryAfterHeader { get; set; } = true;

    /// <summary>Share of failed calls in the sampling window that opens the circuit. Default 0.1.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.1;

    /// <summary>Calls needed in the sampling window before the circuit may open (at least 2). Default 100.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 100;

    /// <summary>Window over which failures are counted. Default 30 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one trial call. Default 5 s.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
