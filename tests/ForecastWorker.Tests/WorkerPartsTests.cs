using ForecastWorker.Model;
using ForecastWorker.Services;

namespace ForecastWorker.Tests;

public class WorkerPartsTests
{
    private static readonly DateOnly Start = new(2026, 11, 21);

    [Fact]
    public void Product_totals_add_the_means_and_combine_the_spreads_as_independent()
    {
        ForecastPoint[] a = [new(Start, 2, 1, 3, 0, 4), new(Start.AddDays(1), 1, 0, 2, 0, 3)];
        ForecastPoint[] b = [new(Start, 4, 0, 8, 0, 10)];
        var sum = ForecastQueries.SumPoints([a, b], Start, horizon: 28);

        Assert.Equal(2, sum.Count);
        Assert.Equal(6, sum[0].Mean, 9);
        Assert.Equal(6 - Math.Sqrt(1 + 16), sum[0].Lower80, 9);
        Assert.Equal(6 + Math.Sqrt(1 + 16), sum[0].Upper80, 9);
        Assert.Equal(6 - Math.Sqrt(4 + 16), sum[0].Lower95, 9); // narrower than the sum of the distances (2 + 4)
        Assert.Equal(6 + Math.Sqrt(4 + 36), sum[0].Upper95, 9);
        Assert.Equal(new ForecastPoint(Start.AddDays(1), 1, 0, 2, 0, 3), sum[1]);
    }

    [Fact]
    public void Product_totals_keep_to_the_horizon_asked_for()
    {
        ForecastPoint[] a = [new(Start, 1, 0, 2, 0, 3), new(Start.AddDays(1), 1, 0, 2, 0, 3), new(Start.AddDays(2), 1, 0, 2, 0, 3)];
        Assert.Equal(2, ForecastQueries.SumPoints([a], Start, horizon: 2).Count);
        Assert.Empty(ForecastQueries.SumPoints([], Start, horizon: 2));
    }

    [Fact]
    public async Task Dedicated_threads_do_every_item_once_off_the_thread_pool()
    {
        var done = new int[1000];
        var poolThreads = 0;
        await DedicatedThreads.ForEachAsync(done.Length, 3, i =>
        {
            Interlocked.Increment(ref done[i]);
            if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref poolThreads);
        }, TestContext.Current.CancellationToken);
        Assert.All(done, d => Assert.Equal(1, d));
        Assert.Equal(0, poolThreads);
        await DedicatedThreads.ForEachAsync(0, 3, _ => throw new InvalidOperationException(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Dedicated_threads_report_the_first_failure_and_stop_taking_work()
    {
        var started = 0;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => DedicatedThreads.ForEachAsync(10_000, 2, i =>
        {
            Interlocked.Increment(ref started);
            if (i == 5) throw new InvalidOperationException("series 5 broke");
        }, TestContext.Current.CancellationToken));
        Assert.Equal("series 5 broke", failure.Message);
        Assert.True(started < 10_000);
    }

    [Fact]
    public async Task Dedicated_threads_stop_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var task = DedicatedThreads.ForEachAsync(1_000_000, 2, i =>
        {
            if (i == 100) cancellation.Cancel();
        }, cancellation.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public void A_variant_without_sales_is_as_old_as_it_is_and_one_that_sold_keeps_every_pulled_day()
    {
        var from = new DateOnly(2025, 1, 1);
        var zeros = new double[100];
        var created = new DateTimeOffset(2025, 4, 8, 15, 0, 0, TimeSpan.Zero); // day 97

        var young = VariantHistory.Window(zeros, from, created);
        Assert.Equal(3, young.Length);
        Assert.Equal(new DateOnly(2025, 4, 8), young.Start);
        Assert.Equal(from.AddDays(100), young.End); // forecasts still start the day after the pulled days

        Assert.Equal(0, VariantHistory.Window(zeros, from, created.AddDays(30)).Length); // created today: no history at all
        Assert.Equal(100, VariantHistory.Window(zeros, from, from.AddDays(-400).ToDateTime(TimeOnly.MinValue)).Length);
        Assert.Equal(100, VariantHistory.Window(zeros, from, null).Length);

        var sold = new double[100];
        sold[10] = 2; // sold before it was (re)created: the sales count
        Assert.Equal(100, VariantHistory.Window(sold, from, created).Length);
    }

    [Fact]
    public void A_products_prior_is_the_recent_daily_level_of_its_selling_variants()
    {
        var steady = Enumerable.Repeat(2.0, 60).ToArray();
        var oldOnly = Enumerable.Repeat(5.0, 30).Concat(new double[30]).ToArray(); // nothing in the last 28 days
        var priors = VariantHistory.ProductPriors([(1, steady), (1, Enumerable.Repeat(1.0, 60).ToArray()), (1, null), (2, oldOnly), (3, null)]);

        Assert.Equal(1.5, priors[1], 9);
        Assert.False(priors.ContainsKey(2));
        Assert.False(priors.ContainsKey(3));
    }

    [Fact]
    public void A_new_variant_is_forecast_at_its_products_level_with_wide_intervals_and_says_so()
    {
        var engine = new ForecastWorker.Forecasting.ForecastEngine();
        var window = VariantHistory.Window(new double[200], Start.AddDays(-200), Start.ToDateTime(TimeOnly.MinValue));
        var forecast = engine.Forecast(window, 14, prior: 1.5);

        Assert.Equal(ForecastWorker.Forecasting.ForecastFlags.NoHistory, forecast.Flags);
        Assert.Equal(Start, forecast.Start);
        Assert.All(forecast.Mean, m => Assert.Equal(1.5, m, 9));
        Assert.All(forecast.Upper95, u => Assert.True(u >= 3 * 1.5 - 1e-9));
        Assert.False(string.IsNullOrEmpty(forecast.Note));
    }

    [Fact]
    public void A_variant_without_sales_gets_the_engines_zero_forecast_shared_with_every_variant_of_the_same_days()
    {
        var engine = new ForecastWorker.Forecasting.ForecastEngine();
        var from = Start.AddDays(-730);
        var unsold = new UnsoldForecasts(engine, new double[730], from, horizon: 90);
        var longAgo = from.AddDays(-100).ToDateTime(TimeOnly.MinValue);

        var (days, forecast) = unsold.Get(longAgo, prior: null);
        var alone = engine.Forecast(VariantHistory.Window(new double[730], from, longAgo), 90);

        Assert.Equal(730, days);
        Assert.Equal(ForecastWorker.Forecasting.ForecastFlags.NoSales, forecast.Flags);
        Assert.Equal(Start, forecast.Start);
        Assert.Equal(alone.Mean, forecast.Mean);
        Assert.Equal(alone.Upper80, forecast.Upper80);
        Assert.Equal(alone.Upper95, forecast.Upper95);
        Assert.All(forecast.Mean, m => Assert.Equal(0, m));
        Assert.All(forecast.Upper95, u => Assert.Equal(3.0 / 730, u, 12));
        Assert.Same(forecast, unsold.Get(from.AddDays(-5).ToDateTime(TimeOnly.MinValue), prior: null).Forecast);
        // Stored once, in the variant's header, not a row per day.
        Assert.True(ForecastWorker.Infrastructure.ForecastStore.IsFlat(forecast));

        // A variant created 30 days ago has 30 days without a sale: higher bounds; one created today stands at its product's level.
        var (recentDays, recent) = unsold.Get(Start.AddDays(-30).ToDateTime(TimeOnly.MinValue), prior: null);
        Assert.Equal(30, recentDays);
        Assert.All(recent.Upper95, u => Assert.Equal(3.0 / 30, u, 12));
        var (newDays, fresh) = unsold.Get(Start.ToDateTime(TimeOnly.MinValue), prior: 2.5);
        Assert.Equal(0, newDays);
        Assert.Equal(ForecastWorker.Forecasting.ForecastFlags.NoHistory, fresh.Flags);
        Assert.All(fresh.Mean, m => Assert.Equal(2.5, m, 9));
        Assert.True(ForecastWorker.Infrastructure.ForecastStore.IsFlat(fresh));
    }

    [Fact]
    public void A_forecast_that_moves_from_day_to_day_is_stored_day_by_day()
    {
        var engine = new ForecastWorker.Forecasting.ForecastEngine();
        var sold = Enumerable.Range(0, 400).Select(t => 5 + 3 * Math.Sin(2 * Math.PI * t / 7)).ToArray();
        var forecast = engine.Forecast(new ForecastWorker.Forecasting.SeriesWindow(sold, Start.AddDays(-400)), 28);

        Assert.False(ForecastWorker.Infrastructure.ForecastStore.IsFlat(forecast));
    }
}
