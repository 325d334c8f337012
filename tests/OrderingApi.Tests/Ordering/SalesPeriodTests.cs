using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Tests.Ordering;

public sealed class SalesPeriodTests
{
    [Fact]
    public void The_period_before_has_the_same_length_and_ends_the_day_before()
    {
        var period = new SalesPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), "Europe/Berlin", SalesInterval.Day);

        Assert.Equal(31, period.Days);
        Assert.Equal(new DateOnly(2026, 1, 29), period.PreviousFrom);
        Assert.Equal(new DateOnly(2026, 2, 28), period.PreviousTo);
        Assert.Equal(31, period.Steps(period.From, period.To).Count());
    }

    [Fact]
    public void Weeks_start_on_monday_and_the_first_one_is_cut_to_the_period()
    {
        // 2026-11-04 is a Wednesday.
        var period = new SalesPeriod(new DateOnly(2026, 11, 4), new DateOnly(2026, 11, 30), "UTC", SalesInterval.Week);

        Assert.Equal(
            [new(2026, 11, 4), new(2026, 11, 9), new(2026, 11, 16), new(2026, 11, 23), new DateOnly(2026, 11, 30)],
            period.Steps(period.From, period.To));
        Assert.Equal(new DateOnly(2026, 11, 2), period.StepOf(new DateOnly(2026, 11, 8))); // a Sunday belongs to the week before
    }

    [Fact]
    public void Months_are_calendar_months()
    {
        var period = new SalesPeriod(new DateOnly(2025, 12, 15), new DateOnly(2026, 3, 1), "UTC", SalesInterval.Month);

        Assert.Equal(
            [new(2025, 12, 15), new(2026, 1, 1), new(2026, 2, 1), new DateOnly(2026, 3, 1)],
            period.Steps(period.From, period.To));
    }
}
