using OpenTelemetry.Trace;

namespace ECommerce.ServiceDefaults.Telemetry;

/// <summary>
/// Head sampling for the traces a service begins itself: every one while fewer than <c>tracesPerSecond</c> begin (a
/// burst of one second's worth is allowed), none beyond that until the budget refills. Someone clicking through the app
/// sees every trace in the dashboard; a load of hundreds of requests a second exports a bounded number of traces, so
/// telemetry costs little per request (every request still counts in the metrics). Used as the root sampler of a
/// <see cref="ParentBasedSampler"/>: a trace begun by a caller keeps the caller's decision in every service it reaches.
/// </summary>
public sealed class RateLimitedSampler : Sampler
{
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    private readonly double _perSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _budget;
    private long _refilledAt;

    /// <param name="tracesPerSecond">New traces recorded a second at most (0: none; fractions allowed).</param>
    /// <param name="time">The clock (the system's by default).</param>
    public RateLimitedSampler(double tracesPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tracesPerSecond);
        _perSecond = tracesPerSecond;
        _burst = Math.Max(1, tracesPerSecond);
        _time = time ?? TimeProvider.System;
        _budget = tracesPerSecond > 0 ? _burst : 0;
        _refilledAt = _time.GetTimestamp();
        Description = $"RateLimitedSampler{{{tracesPerSecond:0.###}/s}}";
    }

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _budget = Math.Min(_burst, _budget + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond);
            _refilledAt = now;
            if (_budget < 1)
            {
                return Dropped;
            }
            _budget -= 1;
            return Sampled;
        }
    }
}
