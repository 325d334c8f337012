using System.Diagnostics;
using System.Globalization;
using ForecastWorker.Forecasting;
using ForecastWorker.Forecasting.Global;
using ForecastWorker.Infrastructure;
using ForecastWorker.Model;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ForecastWorker.Services;

/// <summary>
/// Does forecast runs, one at a time across every instance (a PostgreSQL advisory lock held for the whole run):
/// pulls the new sales from OrderingApi, reads the variants from CatalogApi, fits each active variant with the
/// <see cref="ForecastEngine"/> on dedicated threads, writes the forecasts batch by batch with COPY, and publishes the
/// run when every variant is written. A run cut off by a restart is resumed from the batches it wrote.
/// </summary>
public sealed partial class ForecastRunner(
    ForecastStore store,
    SalesClient sales,
    CatalogStockClient catalog,
    IOptions<ForecastingSettings> options,
    TimeProvider timeProvider,
    ILogger<ForecastRunner> logger)
{
    private const long RunLockKey = 0x464F_5245_0002; // "FORE" 2

    private readonly ForecastEngine _engine = new();

    /// <summary>
    /// Does what is due (an interrupted run, a run asked for, a scheduled run) if this instance gets the run lock;
    /// returns the last run it finished (complete or failed), or null when it did none.
    /// </summary>
    public async Task<RunRow?> RunDueAsync(DateTimeOffset processStartedAt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({RunLockKey})", connection))
        {
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                return null; // another instance is running one
            }
        }
        try
        {
            RunRow? last = null;
            for (var step = 0; step < 10; step++)
            {
                var book = await store.GetRunBookAsync(cancellationToken);
                var decision = RunPlanner.Decide(book, timeProvider.GetUtcNow(), processStartedAt, settings.Schedule, settings.MaxAttempts);
                switch (decision.Action)
                {
                    case RunAction.None:
                        return last;
                    case RunAction.GiveUp:
                        LogGivingUp(decision.RunId!.Value);
                        await store.FailRunAsync(decision.RunId.Value, "Interrupted too often, or too long ago; given up.", cancellationToken);
                        break;
                    case RunAction.StartScheduled:
                        var (queued, _) = await store.QueueRunAsync("schedule", null, settings.Horizon, cancellationToken);
                        last = await ExecuteAsync(queued.Id, cancellationToken) ?? last;
                        break;
                    default:
                        last = await ExecuteAsync(decision.RunId!.Value, cancellationToken) ?? last;
                        break;
                }
            }
            return last;
        }
        finally
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({RunLockKey})", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private async Task<RunRow?> ExecuteAsync(long runId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var run = await store.StartRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return null;
        }
        using var activity = ForecastTelemetry.Source.StartActivity("forecast run");
        activity?.SetTag("forecast.run.id", run.Id);
        activity?.SetTag("forecast.run.attempt", run.Attempts);
        var started = Stopwatch.GetTimestamp();
        LogStarting(run.Id, run.Trigger, run.Attempts);
        try
        {
            // A resumed run keeps the history it started with, so its batches all fit the same days.
            DateOnly historyEnd;
            if (run.Attempts > 1 && run.ForecastStart is { } start)
            {
                historyEnd = start.AddDays(-1);
            }
            else
            {
                historyEnd = await PullSalesAsync(cancellationToken);
                await store.SetForecastStartAsync(run.Id, historyEnd.AddDays(1), cancellationToken);
            }
            var (coveredFrom, _) = await store.GetCoverageAsync(cancellationToken);
            var historyFrom = historyEnd.AddDays(1 - settings.HistoryDays);
            if (coveredFrom is { } first && first > historyFrom) historyFrom = first;

            var variants = (await catalog.GetAllAsync(cancellationToken)).Where(v => !v.Archived).ToList();
            var history = await store.LoadSalesAsync(historyFrom, historyEnd, cancellationToken);
            var done = await store.GetDoneVariantsAsync(run.Id, cancellationToken);
            var todo = variants.Where(v => !done.Contains(v.VariantId)).ToList();
            var priors = VariantHistory.ProductPriors(variants.Select(v => (v.ProductId, history.GetValueOrDefault(v.VariantId))));
            var days = historyEnd.DayNumber - historyFrom.DayNumber + 1;
            activity?.SetTag("forecast.variants", variants.Count);
            activity?.SetTag("forecast.variants.resumed", done.Count);
            var globals = await ForecastGlobalAsync(variants, history, historyFrom, historyEnd, cancellationToken);
            var unsold = new UnsoldForecasts(_engine, new double[Math.Max(days, 0)], historyFrom, settings.Horizon);

            for (var offset = 0; offset < todo.Count; offset += settings.BatchSize)
            {
                var batch = todo.GetRange(offset, Math.Min(settings.BatchSize, todo.Count - offset));
                var rows = new VariantForecastRow[batch.Count];
                await DedicatedThreads.ForEachAsync(batch.Count, settings.EffectiveParallelism, i =>
                {
                    rows[i] = Fit(batch[i], history, priors, unsold, historyFrom, settings.Horizon, globals.GetValueOrDefault(batch[i].VariantId));
                }, cancellationToken);
                await store.WriteBatchAsync(run.Id, rows, cancellationToken);
                foreach (var row in rows)
                {
                    ForecastTelemetry.SeriesFitted.Add(1, new KeyValuePair<string, object?>("model", row.BestModel));
                }
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var completed = await store.CompleteRunAsync(run.Id, seconds, settings.KeepRuns, cancellationToken);
            ForecastTelemetry.RunDuration.Record(seconds);
            LogCompleted(completed.Id, completed.Variants, done.Count, seconds, completed.MeanRmsse);
            return completed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the run stays "running" and is resumed at the next start (by whichever instance gets the lock).
            LogInterrupted(run.Id);
            throw;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogFailed(run.Id, e);
            await store.FailRunAsync(run.Id, e.Message, CancellationToken.None);
            return await store.GetRunAsync(run.Id, CancellationToken.None);
        }
    }

    /// <summary>Pulls the days <see cref="SalesPullPlan"/> says into forecastdb; returns the last day of history (yesterday).</summary>
    private async Task<DateOnly> PullSalesAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var activity = ForecastTelemetry.Source.StartActivity("forecast pull sales");
        var (from, to) = await store.GetCoverageAsync(cancellationToken);
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var plan = SalesPullPlan.Create(from, to, today, settings.HistoryDays, settings.RepullDays, settings.PullChunkDays);
        var pulled = new List<DailySales>(plan.Chunks.Count);
        foreach (var (chunkFrom, chunkTo) in plan.Chunks)
        {
            pulled.Add(await sales.GetDailyAsync(chunkFrom, chunkTo, cancellationToken));
        }
        var rows = await store.SaveSalesAsync(plan, pulled, cancellationToken);
        activity?.SetTag("forecast.sales.from", plan.From.ToString("yyyy-MM-dd"));
        activity?.SetTag("forecast.sales.rows", rows);
        LogPulled(plan.From, plan.To, rows);
        return plan.To;
    }

    /// <summary>
    /// Trains the global model once over every active variant's history (on a thread of its own) and returns its
    /// forecasts by variant; logs the time and the memory it took. Empty when it is switched off.
    /// </summary>
    private async Task<Dictionary<int, GlobalSeriesForecast>> ForecastGlobalAsync(
        List<StockLevel> variants, Dictionary<int, double[]> history, DateOnly historyFrom, DateOnly historyEnd, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var result = new Dictionary<int, GlobalSeriesForecast>();
        if (!settings.GlobalModel.Enabled || variants.Count == 0) return result;
        using var activity = ForecastTelemetry.Source.StartActivity("forecast global model");
        // Smooth-demand variants only: the engine leaves intermittent ones to the statistical pool (and ones without sales out).
        var smooth = variants
            .Where(v => history.ContainsKey(v.VariantId))
            .Select(v => (Variant: v, Window: VariantHistory.Window(history[v.VariantId], historyFrom, v.CreatedAt)))
            .Where(x => _engine.OffersGlobalModel(x.Window))
            .ToList();
        if (smooth.Count == 0) return result;
        var series = smooth.Select(x => new GlobalSeries(
            x.Window, [x.Variant.ProductId.ToString(CultureInfo.InvariantCulture), x.Variant.VariantId.ToString(CultureInfo.InvariantCulture)])).ToArray();
        var model = new GlobalModel(settings.GlobalModel.ToOptions());
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        GlobalSeriesForecast?[] forecasts = [];
        GlobalRunInfo? info = null;
        await DedicatedThreads.ForEachAsync(1, 1, _ =>
        {
            (forecasts, info) = model.Forecast(series, historyEnd.AddDays(1), settings.Horizon, _engine.Options.InnerOrigins);
        }, cancellationToken);
        for (var i = 0; i < smooth.Count; i++)
        {
            if (forecasts[i] is { } f) result[smooth[i].Variant.VariantId] = f;
        }
        var allocatedMb = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576.0;
        var workingSetMb = Environment.WorkingSet / 1048576.0;
        var run = info ?? throw new InvalidOperationException("The global model did not run.");
        activity?.SetTag("forecast.global.trainer", run.Trainer);
        activity?.SetTag("forecast.global.rows", run.TrainingRows);
        LogGlobal(run.Trainer, run.Trainings, run.TrainingRows, result.Count, variants.Count, run.Elapsed.TotalSeconds, allocatedMb, workingSetMb);
        if (run.Note is not null) LogGlobalNote(run.Note);
        return result;
    }

    private VariantForecastRow Fit(
        StockLevel variant, Dictionary<int, double[]> history, Dictionary<int, double> priors, UnsoldForecasts unsold, DateOnly historyFrom, int horizon,
        GlobalSeriesForecast? global)
    {
        var started = Stopwatch.GetTimestamp();
        var prior = priors.TryGetValue(variant.ProductId, out var level) ? level : (double?)null;
        var (days, forecast) = history.TryGetValue(variant.VariantId, out var sold)
            ? FitSold(VariantHistory.Window(sold, historyFrom, variant.CreatedAt))
            : unsold.Get(variant.CreatedAt, prior);
        return new VariantForecastRow(variant.VariantId, variant.ProductId, days, Stopwatch.GetElapsedTime(started).TotalMilliseconds, forecast);

        (int, SeriesForecast) FitSold(SeriesWindow window) => (window.Length, _engine.Forecast(window, horizon, prior, global: global));
    }

    [LoggerMessage(LogLevel.Information, "Forecast run {RunId} starting ({Trigger}, attempt {Attempt})")]
    private partial void LogStarting(long runId, string trigger, int attempt);

    [LoggerMessage(LogLevel.Information, "Global model ({Trainer}): {Trainings} training(s) on {Rows} examples, forecasts for {Forecast} of {Variants} variants in {Seconds:0.0} s; {AllocatedMb:0} MB allocated, working set {WorkingSetMb:0} MB")]
    private partial void LogGlobal(string trainer, int trainings, int rows, int forecast, int variants, double seconds, double allocatedMb, double workingSetMb);

    [LoggerMessage(LogLevel.Warning, "Global model: {Note}")]
    private partial void LogGlobalNote(string note);

    [LoggerMessage(LogLevel.Information, "Pulled sales {From}..{To}: {Rows} variant-days with sales")]
    private partial void LogPulled(DateOnly from, DateOnly to, int rows);

    [LoggerMessage(LogLevel.Information, "Forecast run {RunId} complete: {Variants} variants ({Resumed} from an earlier attempt) in {Seconds:0.0} s, mean RMSSE {MeanRmsse:0.000}")]
    private partial void LogCompleted(long runId, int variants, int resumed, double seconds, double? meanRmsse);

    [LoggerMessage(LogLevel.Warning, "Forecast run {RunId} interrupted by shutdown; it resumes at the next start")]
    private partial void LogInterrupted(long runId);

    [LoggerMessage(LogLevel.Error, "Forecast run {RunId} failed")]
    private partial void LogFailed(long runId, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Forecast run {RunId} was interrupted too often or too long ago; giving up on it")]
    private partial void LogGivingUp(long runId);
}
