using System.Diagnostics;
using ECommerce.ServiceDefaults.Telemetry;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Tests.Telemetry;

public sealed class RateLimitedSamplerTests
{
    [Fact]
    public void Records_a_seconds_worth_at_once_then_as_the_budget_refills()
    {
        var clock = new ManualClock();
        var sampler = new RateLimitedSampler(5, clock);

        Assert.Equal([true, true, true, true, true, false, false], Decide(sampler, 7));

        clock.Advance(TimeSpan.FromMilliseconds(200)); // one trace's worth
        Assert.Equal([true, false], Decide(sampler, 2));

        clock.Advance(TimeSpan.FromMinutes(10)); // an idle spell saves up no more than one second's worth
        Assert.Equal(5, Decide(sampler, 20).Count(sampled => sampled));
    }

    [Fact]
    public void Under_a_steady_load_it_records_about_the_rate()
    {
        var clock = new ManualClock();
        var sampler = new RateLimitedSampler(20, clock);
        var recorded = 0;
        for (var request = 0; request < 5000; request++) // 500 requests a second for 10 s
        {
            clock.Advance(TimeSpan.FromMilliseconds(2));
            recorded += Decide(sampler, 1).Count(sampled => sampled);
        }
        Assert.InRange(recorded, 200, 220); // 20 a second, and the first second's burst
    }

    [Fact]
    public void A_rate_of_zero_records_nothing_and_a_negative_rate_is_refused()
    {
        Assert.DoesNotContain(true, Decide(new RateLimitedSampler(0, new ManualClock()), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitedSampler(-1));
    }

    private static List<bool> Decide(Sampler sampler, int count) =>
        [.. Enumerable.Range(0, count).Select(_ =>
            sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "GET /", ActivityKind.Server)).Decision
                == SamplingDecision.RecordAndSample)];

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
