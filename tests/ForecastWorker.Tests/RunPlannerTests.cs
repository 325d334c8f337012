using ForecastWorker.Services;

namespace ForecastWorker.Tests;

public class RunPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ProcessStart = Now.AddMinutes(-5);
    private static readonly ScheduleSettings Every6Hours = new() { Interval = TimeSpan.FromHours(6), RunOnStart = true };

    private static RunDecision Decide(RunBook book, ScheduleSettings? schedule = null) =>
        RunPlanner.Decide(book, Now, ProcessStart, schedule ?? Every6Hours, maxAttempts: 3);

    [Fact]
    public void An_interrupted_run_is_resumed_before_anything_else()
    {
        var decision = Decide(new RunBook(Running: 7, RunningAttempts: 1, Queued: 8, LastStartedAt: null, LastFailedAt: null));
        Assert.Equal(new RunDecision(RunAction.Resume, 7), decision);
    }

    [Fact]
    public void A_run_interrupted_too_often_is_given_up()
    {
        var decision = Decide(new RunBook(7, RunningAttempts: 3, null, Now.AddHours(-1), null));
        Assert.Equal(new RunDecision(RunAction.GiveUp, 7), decision);
    }

    [Fact]
    public void A_run_interrupted_long_ago_is_given_up_rather_than_finished_with_old_data()
    {
        var book = new RunBook(7, RunningAttempts: 1, null, Now.AddDays(-2), null, RunningSince: Now.AddDays(-2));
        Assert.Equal(new RunDecision(RunAction.GiveUp, 7), Decide(book));
        Assert.Equal(new RunDecision(RunAction.Resume, 7), Decide(book with { RunningSince = Now.AddMinutes(-3) }));
    }

    [Fact]
    public void A_run_asked_for_starts_even_when_the_schedule_is_not_due()
    {
        var decision = Decide(new RunBook(null, 0, Queued: 9, LastStartedAt: Now.AddMinutes(-1), null));
        Assert.Equal(new RunDecision(RunAction.StartQueued, 9), decision);
    }

    [Fact]
    public void Scheduled_runs_start_once_the_interval_has_passed()
    {
        Assert.Equal(RunAction.None, Decide(new RunBook(null, 0, null, Now.AddHours(-5), null)).Action);
        Assert.Equal(RunAction.StartScheduled, Decide(new RunBook(null, 0, null, Now.AddHours(-6), null)).Action);
    }

    [Fact]
    public void The_first_run_starts_at_once_unless_runs_at_start_are_off()
    {
        var empty = new RunBook(null, 0, null, null, null);
        Assert.Equal(RunAction.StartScheduled, Decide(empty).Action);

        var off = new ScheduleSettings { Interval = TimeSpan.FromHours(6), RunOnStart = false };
        Assert.Equal(RunAction.None, Decide(empty, off).Action);
        // An old run does not trigger one at start either: the first comes an interval after the start.
        Assert.Equal(RunAction.None, Decide(new RunBook(null, 0, null, Now.AddDays(-3), null), off).Action);
        Assert.Equal(RunAction.StartScheduled,
            RunPlanner.Decide(empty, ProcessStart.AddHours(6), ProcessStart, off, 3).Action);
    }

    [Fact]
    public void After_a_failure_it_tries_again_soon_but_not_at_once()
    {
        var justFailed = new RunBook(null, 0, null, Now.AddHours(-1), LastFailedAt: Now.AddSeconds(-30));
        Assert.Equal(RunAction.None, Decide(justFailed).Action);

        var failedAWhileAgo = new RunBook(null, 0, null, Now.AddHours(-1), LastFailedAt: Now - RunPlanner.RetryAfterFailure);
        Assert.Equal(RunAction.StartScheduled, Decide(failedAWhileAgo).Action);
    }

    [Fact]
    public void While_no_sale_has_been_pulled_it_looks_again_every_minute()
    {
        var empty = new RunBook(null, 0, null, Now - RunPlanner.RetryWithoutSales, null, NoSalesYet: true);
        Assert.Equal(RunAction.StartScheduled, Decide(empty).Action);
        Assert.Equal(RunAction.None, Decide(empty with { LastStartedAt = Now.AddSeconds(-30) }).Action);
        Assert.Equal(RunAction.None, Decide(empty with { NoSalesYet = false }).Action);
    }
}
