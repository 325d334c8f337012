using ForecastWorker.Forecasting;
using ForecastWorker.Model;
using ForecastWorker.Services;
using Npgsql;
using NpgsqlTypes;

namespace ForecastWorker.Infrastructure;

/// <summary>One variant's forecast as a run stores it.</summary>
public sealed record VariantForecastRow(int VariantId, int ProductId, int HistoryDays, double FitMilliseconds, SeriesForecast Forecast)
{
    /// <summary>The model that ranked first in the backtest (the one credited with a "win"), or the fallback's name.</summary>
    public string BestModel => Forecast.Components.Count > 0 ? Forecast.Components[0].Model : Forecast.Method;
}

/// <summary>A stored forecast run's row.</summary>
public sealed record RunRow(
    long Id, string Status, string Trigger, DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    double? DurationSeconds, DateOnly? ForecastStart, int Horizon, int Variants, double? MeanRmsse, int Attempts, string? Error);

/// <summary>A variant's stored forecast header.</summary>
public sealed record StoredForecast(long RunId, DateTimeOffset GeneratedAt, DateOnly Start, int VariantId, int ProductId, string Model, double? BacktestRmsse, ForecastFlags Flags, string? Note);

/// <summary>The daily forecast of one variant, from the run's first forecast day.</summary>
public sealed record StoredDemand(int VariantId, int ProductId, double[] Mean, double[] Upper80);

/// <summary>
/// forecastdb: the pulled sales, the runs and their forecasts. Rows of a run are written in batches while it runs and
/// read only through <c>forecast_state.latest_run_id</c>, which moves to a run when it completes (in one transaction).
/// </summary>
public sealed class ForecastStore(NpgsqlDataSource dataSource)
{
    public const string Queued = "queued", Running = "running", Complete = "complete", Failed = "failed";

    private const string RunColumns = """
        id, status, trigger, requested_at, started_at, completed_at, duration_seconds, forecast_start, horizon, variants, mean_rmsse, attempts, error
        """;

    public NpgsqlDataSource DataSource => dataSource;

    // ---- sales ----

    /// <summary>
    /// The days pulled so far, or nulls before the first pull and while no sale at all has been pulled: an empty store
    /// is pulled in full again (the first pull may come before the shop's history is written, e.g. the demo history
    /// OrderingApi writes in the background on its first start).
    /// </summary>
    public async Task<(DateOnly? From, DateOnly? To)> GetCoverageAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT first_day, last_day FROM sales_coverage WHERE EXISTS (SELECT 1 FROM sales_days)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1))
            : (null, null);
    }

    /// <summary>
    /// Replaces the stored sales of the pulled days with <paramref name="pulled"/> (covering plan.From..plan.To), drops
    /// days before plan.KeepFrom and records the new coverage, all in one transaction.
    /// </summary>
    public async Task<int> SaveSalesAsync(SalesPullPlan plan, IEnumerable<DailySales> pulled, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand("DELETE FROM sales_days WHERE day >= $1 OR day < $2", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = plan.From });
            delete.Parameters.Add(new NpgsqlParameter { Value = plan.KeepFrom });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        var rows = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY sales_days (variant_id, day, units) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var chunk in pulled)
            {
                foreach (var variant in chunk.Variants)
                {
                    for (var t = 0; t < variant.Units.Length; t++)
                    {
                        if (variant.Units[t] <= 0) continue;
                        await copy.StartRowAsync(cancellationToken);
                        await copy.WriteAsync(variant.VariantId, NpgsqlDbType.Integer, cancellationToken);
                        await copy.WriteAsync(chunk.From.AddDays(t), NpgsqlDbType.Date, cancellationToken);
                        await copy.WriteAsync(variant.Units[t], NpgsqlDbType.Integer, cancellationToken);
                        rows++;
                    }
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var coverage = new NpgsqlCommand("""
            INSERT INTO sales_coverage (id, first_day, last_day, pulled_at) VALUES (true, $1, $2, now())
            ON CONFLICT (id) DO UPDATE SET first_day = excluded.first_day, last_day = excluded.last_day, pulled_at = excluded.pulled_at
            """, connection, transaction))
        {
            coverage.Parameters.Add(new NpgsqlParameter { Value = plan.KeepFrom });
            coverage.Parameters.Add(new NpgsqlParameter { Value = plan.To });
            await coverage.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>Every variant with a sale in <paramref name="from"/>..<paramref name="to"/>: units per day, zeros filled in.</summary>
    public async Task<Dictionary<int, double[]>> LoadSalesAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var series = new Dictionary<int, double[]>();
        if (days <= 0) return series;
        await using var command = dataSource.CreateCommand("SELECT variant_id, day, units FROM sales_days WHERE day BETWEEN $1 AND $2");
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var variantId = reader.GetInt32(0);
            if (!series.TryGetValue(variantId, out var values))
            {
                series[variantId] = values = new double[days];
            }
            values[reader.GetFieldValue<DateOnly>(1).DayNumber - from.DayNumber] += reader.GetInt32(2);
        }
        return series;
    }

    /// <summary>Units per day summed over <paramref name="variantIds"/> for <paramref name="from"/>..<paramref name="to"/>, zeros filled in.</summary>
    public async Task<List<HistoryPoint>> GetHistoryAsync(int[] variantIds, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var units = new int[Math.Max(0, to.DayNumber - from.DayNumber + 1)];
        if (units.Length > 0)
        {
            await using var command = dataSource.CreateCommand("SELECT day, sum(units)::int FROM sales_days WHERE variant_id = ANY($1) AND day BETWEEN $2 AND $3 GROUP BY day");
            command.Parameters.Add(new NpgsqlParameter { Value = variantIds });
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = to });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                units[reader.GetFieldValue<DateOnly>(0).DayNumber - from.DayNumber] = reader.GetInt32(1);
            }
        }
        return [.. units.Select((u, t) => new HistoryPoint(from.AddDays(t), u))];
    }

    // ---- runs ----

    /// <summary>
    /// Asks for a run: the run already waiting or running when there is one, else a new queued run.
    /// Returns it and whether it was created by this call.
    /// </summary>
    public async Task<(RunRow Run, bool Created)> QueueRunAsync(string trigger, string? requestedBy, int horizon, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using (var existing = dataSource.CreateCommand($"SELECT {RunColumns} FROM forecast_runs WHERE status IN ('queued', 'running') ORDER BY id DESC LIMIT 1"))
            await using (var reader = await existing.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    return (ReadRun(reader), false);
                }
            }
            await using var insert = dataSource.CreateCommand($"""
                INSERT INTO forecast_runs (status, trigger, requested_by, horizon) VALUES ('queued', $1, $2, $3)
                ON CONFLICT (status) WHERE status = 'queued' DO NOTHING
                RETURNING {RunColumns}
                """);
            insert.Parameters.Add(new NpgsqlParameter { Value = trigger });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)requestedBy ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = horizon });
            await using var inserted = await insert.ExecuteReaderAsync(cancellationToken);
            if (await inserted.ReadAsync(cancellationToken))
            {
                return (ReadRun(inserted), true);
            }
            if (attempt >= 3)
            {
                throw new InvalidOperationException("Could not queue a forecast run: runs keep changing.");
            }
        }
    }

    /// <summary>What the planner needs: the running and queued runs, and when the last runs started or failed.</summary>
    public async Task<RunBook> GetRunBookAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT id FROM forecast_runs WHERE status = 'running' LIMIT 1),
                   (SELECT attempts FROM forecast_runs WHERE status = 'running' LIMIT 1),
                   (SELECT id FROM forecast_runs WHERE status = 'queued' LIMIT 1),
                   (SELECT max(coalesce(started_at, requested_at)) FROM forecast_runs WHERE status <> 'failed'),
                   (SELECT completed_at FROM forecast_runs WHERE status IN ('failed', 'complete') ORDER BY completed_at DESC NULLS LAST, id DESC LIMIT 1),
                   (SELECT status FROM forecast_runs WHERE status IN ('failed', 'complete') ORDER BY completed_at DESC NULLS LAST, id DESC LIMIT 1),
                   NOT EXISTS (SELECT 1 FROM sales_days),
                   (SELECT started_at FROM forecast_runs WHERE status = 'running' LIMIT 1)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var lastFailedAt = !reader.IsDBNull(5) && reader.GetString(5) == Failed && !reader.IsDBNull(4) ? reader.GetFieldValue<DateTimeOffset>(4) : (DateTimeOffset?)null;
        return new RunBook(
            reader.IsDBNull(0) ? null : reader.GetInt64(0),
            reader.IsDBNull(1) ? 0 : reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            lastFailedAt,
            NoSalesYet: reader.GetBoolean(6),
            RunningSince: reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
    }

    /// <summary>Marks a queued or interrupted run as running (one more attempt); false when it is neither any more.</summary>
    public async Task<RunRow?> StartRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE forecast_runs SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
            WHERE id = $1 AND status IN ('queued', 'running')
            RETURNING {RunColumns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    /// <summary>Fixes the run's first forecast day (the day after the last day of history it fits on).</summary>
    public async Task SetForecastStartAsync(long runId, DateOnly start, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE forecast_runs SET forecast_start = $2 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = start });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The variants a run has written already (a resumed run skips them).</summary>
    public async Task<HashSet<int>> GetDoneVariantsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT variant_id FROM forecast_variants WHERE run_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        var done = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) done.Add(reader.GetInt32(0));
        return done;
    }

    /// <summary>
    /// Writes a batch of a run's forecasts with COPY, in one transaction: headers, and the daily points of each forecast
    /// that is not the same every day (a flat one, e.g. zero for a variant that never sold, is kept in its header).
    /// </summary>
    public async Task WriteBatchAsync(long runId, IReadOnlyList<VariantForecastRow> batch, CancellationToken cancellationToken)
    {
        var flat = batch.Select(row => IsFlat(row.Forecast)).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY forecast_variants (run_id, variant_id, product_id, model, best_model, backtest_rmsse, flags, note, history_days, fit_ms,
                                    flat_mean, flat_lower80, flat_upper80, flat_lower95, flat_upper95) FROM STDIN (FORMAT BINARY)
            """,
            cancellationToken))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                var (row, f) = (batch[r], batch[r].Forecast);
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(row.VariantId, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(row.ProductId, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(f.Method, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.BestModel, NpgsqlDbType.Text, cancellationToken);
                if (f.BacktestRmsse is { } rmsse && double.IsFinite(rmsse)) await copy.WriteAsync(rmsse, NpgsqlDbType.Double, cancellationToken);
                else await copy.WriteNullAsync(cancellationToken);
                await copy.WriteAsync((int)f.Flags, NpgsqlDbType.Integer, cancellationToken);
                if (f.Note is { } note) await copy.WriteAsync(note, NpgsqlDbType.Text, cancellationToken);
                else await copy.WriteNullAsync(cancellationToken);
                await copy.WriteAsync(row.HistoryDays, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync((float)row.FitMilliseconds, NpgsqlDbType.Real, cancellationToken);
                if (flat[r])
                {
                    foreach (var value in Bands(f))
                    {
                        await copy.WriteAsync((float)value[0], NpgsqlDbType.Real, cancellationToken);
                    }
                }
                else
                {
                    for (var i = 0; i < 5; i++) await copy.WriteNullAsync(cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY forecast_points (run_id, variant_id, day, mean, lower80, upper80, lower95, upper95) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in batch.Where((_, r) => !flat[r]))
            {
                var f = row.Forecast;
                for (var h = 0; h < f.Mean.Length; h++)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(row.VariantId, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(f.Start.AddDays(h), NpgsqlDbType.Date, cancellationToken);
                    await copy.WriteAsync((float)f.Mean[h], NpgsqlDbType.Real, cancellationToken);
                    await copy.WriteAsync((float)f.Lower80[h], NpgsqlDbType.Real, cancellationToken);
                    await copy.WriteAsync((float)f.Upper80[h], NpgsqlDbType.Real, cancellationToken);
                    await copy.WriteAsync((float)f.Lower95[h], NpgsqlDbType.Real, cancellationToken);
                    await copy.WriteAsync((float)f.Upper95[h], NpgsqlDbType.Real, cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whether the forecast is the same every day (mean and every bound): stored once, in its header.</summary>
    public static bool IsFlat(SeriesForecast forecast) =>
        forecast.Mean.Length > 0 && Bands(forecast).All(values => Array.TrueForAll(values, v => v.Equals(values[0])));

    /// <summary>The mean and the bounds, in the order of the flat_* columns.</summary>
    private static double[][] Bands(SeriesForecast forecast) => [forecast.Mean, forecast.Lower80, forecast.Upper80, forecast.Lower95, forecast.Upper95];

    /// <summary>
    /// Completes a run and makes it the one readers see, in one transaction; then deletes the complete runs beyond the
    /// newest <paramref name="keepRuns"/> and old failed runs.
    /// </summary>
    public async Task<RunRow> CompleteRunAsync(long runId, double durationSeconds, int keepRuns, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        RunRow run;
        await using (var complete = new NpgsqlCommand($"""
            UPDATE forecast_runs r SET status = 'complete', completed_at = now(), duration_seconds = $2,
                variants = s.fitted, mean_rmsse = s.average_rmsse, error = NULL
            FROM (SELECT count(*)::int AS fitted, avg(backtest_rmsse) AS average_rmsse FROM forecast_variants WHERE run_id = $1) s
            WHERE r.id = $1 AND r.status = 'running'
            RETURNING {RunColumns}
            """, connection, transaction))
        {
            complete.Parameters.Add(new NpgsqlParameter { Value = runId });
            complete.Parameters.Add(new NpgsqlParameter { Value = durationSeconds });
            await using var reader = await complete.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"Forecast run {runId} is no longer running.");
            }
            run = ReadRun(reader);
        }
        await using (var publish = new NpgsqlCommand("UPDATE forecast_state SET latest_run_id = $1", connection, transaction))
        {
            publish.Parameters.Add(new NpgsqlParameter { Value = runId });
            await publish.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);

        await using var prune = dataSource.CreateCommand("""
            DELETE FROM forecast_runs WHERE
                (status = 'complete' AND id NOT IN (SELECT id FROM forecast_runs WHERE status = 'complete' ORDER BY id DESC LIMIT $1))
                OR (status = 'failed' AND id NOT IN (SELECT id FROM forecast_runs WHERE status = 'failed' ORDER BY id DESC LIMIT 10))
            """);
        prune.Parameters.Add(new NpgsqlParameter { Value = keepRuns });
        await prune.ExecuteNonQueryAsync(cancellationToken);
        return run;
    }

    /// <summary>Marks a run failed and deletes what it wrote (it never becomes visible).</summary>
    public async Task FailRunAsync(long runId, string error, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var fail = new NpgsqlBatchCommand("UPDATE forecast_runs SET status = 'failed', completed_at = now(), error = left($2, 2000) WHERE id = $1 AND status IN ('queued', 'running')");
        fail.Parameters.Add(new NpgsqlParameter { Value = runId });
        fail.Parameters.Add(new NpgsqlParameter { Value = error });
        var clearPoints = new NpgsqlBatchCommand("DELETE FROM forecast_points WHERE run_id = $1");
        clearPoints.Parameters.Add(new NpgsqlParameter { Value = runId });
        var clearVariants = new NpgsqlBatchCommand("DELETE FROM forecast_variants WHERE run_id = $1");
        clearVariants.Parameters.Add(new NpgsqlParameter { Value = runId });
        batch.BatchCommands.Add(fail);
        batch.BatchCommands.Add(clearPoints);
        batch.BatchCommands.Add(clearVariants);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- readers (latest complete run only) ----

    public async Task<RunRow?> GetRunAsync(long? runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(runId is null
            ? $"SELECT {RunColumns} FROM forecast_runs WHERE id = (SELECT latest_run_id FROM forecast_state)"
            : $"SELECT {RunColumns} FROM forecast_runs WHERE id = $1");
        if (runId is { } id) command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    /// <summary>Per model: the series it won (ranked first) in a run, and their mean backtest RMSSE.</summary>
    public async Task<List<ModelSummary>> GetModelSummaryAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT best_model, count(*)::int, avg(backtest_rmsse) FROM forecast_variants WHERE run_id = $1
            GROUP BY best_model ORDER BY count(*) DESC, best_model
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        var models = new List<ModelSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            models.Add(new ModelSummary(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)));
        }
        return models;
    }

    /// <summary>The latest complete run's forecast headers of a variant, or of every variant of a product.</summary>
    public async Task<List<StoredForecast>> GetForecastHeadersAsync(int? variantId, int? productId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.completed_at, r.forecast_start, v.variant_id, v.product_id, v.model, v.backtest_rmsse, v.flags, v.note
            FROM forecast_state s
            JOIN forecast_runs r ON r.id = s.latest_run_id
            JOIN forecast_variants v ON v.run_id = r.id
            WHERE ($1::int IS NULL OR v.variant_id = $1) AND ($2::int IS NULL OR v.product_id = $2)
            ORDER BY v.variant_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)variantId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)productId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        var headers = new List<StoredForecast>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            headers.Add(new StoredForecast(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateOnly>(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetDouble(6), (ForecastFlags)reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return headers;
    }

    /// <summary>
    /// A run's daily points of the given variants, for the first <paramref name="days"/> days, by variant: flat forecasts
    /// expanded to the run's days.
    /// </summary>
    public async Task<Dictionary<int, ForecastPoint[]>> GetPointsAsync(long runId, int[] variantIds, DateOnly from, int days, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT variant_id, day, mean, lower80, upper80, lower95, upper95 FROM forecast_points
            WHERE run_id = $1 AND variant_id = ANY($2) AND day >= $3 AND day < $4
            UNION ALL
            SELECT v.variant_id, d.day, v.flat_mean, v.flat_lower80, v.flat_upper80, v.flat_lower95, v.flat_upper95
            FROM forecast_variants v
            JOIN forecast_runs r ON r.id = v.run_id
            CROSS JOIN LATERAL (
                SELECT generate_series(greatest(r.forecast_start, $3)::timestamp, (least(r.forecast_start + r.horizon, $4) - 1)::timestamp, interval '1 day')::date AS day
            ) d
            WHERE v.run_id = $1 AND v.variant_id = ANY($2) AND v.flat_mean IS NOT NULL
            ORDER BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = variantIds });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = from.AddDays(days) });
        var points = new Dictionary<int, List<ForecastPoint>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt32(0);
            if (!points.TryGetValue(id, out var list)) points[id] = list = [];
            list.Add(new ForecastPoint(reader.GetFieldValue<DateOnly>(1), reader.GetFloat(2), reader.GetFloat(3), reader.GetFloat(4), reader.GetFloat(5), reader.GetFloat(6)));
        }
        return points.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    /// <summary>
    /// Every variant's mean and upper 80% bound per day of a run, from <paramref name="from"/>, for the reorder arithmetic.
    /// Flat forecasts (most variants of a large catalog) share one pair of arrays per value and length.
    /// </summary>
    public async Task<Dictionary<int, StoredDemand>> GetDemandAsync(long runId, DateOnly from, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.variant_id, v.product_id, array_agg(p.mean ORDER BY p.day), array_agg(p.upper80 ORDER BY p.day), NULL::real, NULL::real, NULL::int
            FROM forecast_points p JOIN forecast_variants v ON v.run_id = p.run_id AND v.variant_id = p.variant_id
            WHERE p.run_id = $1 AND p.day >= $2
            GROUP BY p.variant_id, v.product_id
            UNION ALL
            SELECT v.variant_id, v.product_id, NULL, NULL, v.flat_mean, v.flat_upper80, d.days
            FROM forecast_variants v
            JOIN forecast_runs r ON r.id = v.run_id
            CROSS JOIN LATERAL (SELECT (r.forecast_start + r.horizon) - greatest($2, r.forecast_start) AS days) d
            WHERE v.run_id = $1 AND v.flat_mean IS NOT NULL AND d.days > 0
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        var demand = new Dictionary<int, StoredDemand>();
        var flat = new Dictionary<(float Value, int Days), double[]>();
        double[] Flat(float value, int days)
        {
            if (!flat.TryGetValue((value, days), out var values))
            {
                flat[(value, days)] = values = new double[days];
                Array.Fill(values, value);
            }
            return values;
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var variantId = reader.GetInt32(0);
            demand[variantId] = reader.IsDBNull(6)
                ? new StoredDemand(variantId, reader.GetInt32(1),
                    Array.ConvertAll(reader.GetFieldValue<float[]>(2), v => (double)v), Array.ConvertAll(reader.GetFieldValue<float[]>(3), v => (double)v))
                : new StoredDemand(variantId, reader.GetInt32(1), Flat(reader.GetFloat(4), reader.GetInt32(6)), Flat(reader.GetFloat(5), reader.GetInt32(6)));
        }
        return demand;
    }

    private static RunRow ReadRun(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetDouble(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7),
        reader.GetInt32(8), reader.GetInt32(9),
        reader.IsDBNull(10) ? null : reader.GetDouble(10),
        reader.GetInt32(11),
        reader.IsDBNull(12) ? null : reader.GetString(12));
}
