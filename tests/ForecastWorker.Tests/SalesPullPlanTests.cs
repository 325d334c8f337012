using ForecastWorker.Services;

namespace ForecastWorker.Tests;

public class SalesPullPlanTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);
    private static readonly DateOnly Yesterday = Today.AddDays(-1);

    private static void AssertChunksCover(SalesPullPlan plan, int chunkDays)
    {
        Assert.Equal(plan.From, plan.Chunks[0].From);
        Assert.Equal(plan.To, plan.Chunks[^1].To);
        for (var i = 0; i < plan.Chunks.Count; i++)
        {
            var (from, to) = plan.Chunks[i];
            Assert.True(from <= to);
            Assert.True(to.DayNumber - from.DayNumber + 1 <= chunkDays);
            if (i > 0) Assert.Equal(plan.Chunks[i - 1].To.AddDays(1), from);
        }
    }

    [Fact]
    public void First_pull_fetches_the_whole_history_up_to_yesterday_in_chunks()
    {
        var plan = SalesPullPlan.Create(null, null, Today, historyDays: 730, repullDays: 7, chunkDays: 366);

        Assert.Equal(Yesterday.AddDays(-729), plan.From);
        Assert.Equal(Yesterday, plan.To);
        Assert.Equal(plan.From, plan.KeepFrom);
        Assert.Equal(2, plan.Chunks.Count);
        AssertChunksCover(plan, 366);
    }

    [Fact]
    public void Later_pulls_start_a_few_days_before_the_last_pulled_day_to_catch_cancellations()
    {
        var first = Yesterday.AddDays(-729);
        var lastPulled = Today.AddDays(-3);
        var plan = SalesPullPlan.Create(first, lastPulled, Today, 730, repullDays: 7, chunkDays: 366);

        Assert.Equal(lastPulled.AddDays(-6), plan.From); // the last 7 pulled days again
        Assert.Equal(Yesterday, plan.To);
        Assert.Equal(first, plan.KeepFrom);
        Assert.Single(plan.Chunks);
    }

    [Fact]
    public void Pulling_twice_on_the_same_day_fetches_only_the_recent_days_again()
    {
        var plan = SalesPullPlan.Create(Yesterday.AddDays(-729), Yesterday, Today, 730, repullDays: 7, chunkDays: 366);
        Assert.Equal(Yesterday.AddDays(-6), plan.From);
        Assert.Equal(Yesterday, plan.To);

        var noRepull = SalesPullPlan.Create(Yesterday.AddDays(-729), Yesterday, Today, 730, repullDays: 0, chunkDays: 366);
        Assert.Equal(Yesterday, noRepull.From); // never an empty or inverted window
        Assert.Equal(Yesterday, noRepull.To);
    }

    [Fact]
    public void Days_that_fell_out_of_the_history_window_are_dropped()
    {
        var plan = SalesPullPlan.Create(Yesterday.AddDays(-800), Yesterday.AddDays(-2), Today, 730, 7, 366);
        Assert.Equal(Yesterday.AddDays(-729), plan.KeepFrom);
        Assert.Equal(Yesterday.AddDays(-8), plan.From);
    }

    [Fact]
    public void After_a_long_outage_the_whole_window_is_pulled_again()
    {
        var plan = SalesPullPlan.Create(new DateOnly(2020, 1, 1), new DateOnly(2021, 1, 1), Today, 365, 7, 100);
        Assert.Equal(Yesterday.AddDays(-364), plan.From);
        Assert.Equal(plan.From, plan.KeepFrom);
        Assert.Equal(4, plan.Chunks.Count);
        AssertChunksCover(plan, 100);
    }

    [Fact]
    public void A_short_history_window_never_reaches_before_it()
    {
        var plan = SalesPullPlan.Create(Yesterday.AddDays(-40), Yesterday.AddDays(-1), Today, historyDays: 28, repullDays: 60, chunkDays: 366);
        Assert.Equal(Yesterday.AddDays(-27), plan.From);
        Assert.Equal(Yesterday.AddDays(-27), plan.KeepFrom);
    }
}
