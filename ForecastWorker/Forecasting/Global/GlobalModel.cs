using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace ForecastWorker.Forecasting.Global;

/// <summary>One series as the global model sees it: its history and its key values (store, item; product, ...).</summary>
public sealed record GlobalSeries(SeriesWindow History, IReadOnlyList<string> Keys);

/// <summary>
/// The global model's forecasts for one series, for the engine's inner backtest and for the forecast itself.
/// <see cref="Inner"/> holds forecasts from each inner origin made by a model trained only on days before
/// <see cref="TrainedBefore"/>; <see cref="Final"/> is made at <see cref="Origin"/> by a model trained on the days before it.
/// </summary>
public sealed record GlobalSeriesForecast(
    DateOnly TrainedBefore, DateOnly Origin, IReadOnlyDictionary<DateOnly, PointForecast> Inner, PointForecast? Final);

/// <summary>What a <see cref="GlobalModel.Forecast"/> call did (for logs and the backtest's report).</summary>
public sealed record GlobalRunInfo(string Trainer, int Trainings, int TrainingRows, TimeSpan Elapsed, string? Note);

/// <summary>The global model's settings.</summary>
public sealed record GlobalModelOptions
{
    /// <summary>LightGBM's threads. Few, so that it does not fight the other services (OpenMP busy-waits otherwise).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Training examples drawn over all series (spread evenly over them, at most one per series and day).</summary>
    public int MaxTrainingRows { get; init; } = 120_000;

    /// <summary>Days before the training cut whose sales are targets (features reach further back).</summary>
    public int TrainingDays { get; init; } = 2 * GlobalFeatures.YearDays;

    public int Iterations { get; init; } = 150;

    public int Leaves { get; init; } = 31;

    public double LearningRate { get; init; } = 0.1;

    /// <summary>
    /// Large leaves: with a calendar among the features, small ones learn the noise of particular weeks (on the
    /// validation sets, leaves of 50 over-forecast intermittent series by 12%; of 200, -1.4%, smooth series unchanged).
    /// </summary>
    public int MinExamplesPerLeaf { get; init; } = 200;

    /// <summary>Fewest days since the first sale a series needs at an origin to be trained on or forecast.</summary>
    public int MinHistory { get; init; } = 28;

    /// <summary>
    /// The series' keys (store, item; product, variant) as categorical features. Off by default: on the validation
    /// split (store-item data up to 2016) they made the model slightly worse and twice as slow, the targets being
    /// scaled per series already.
    /// </summary>
    public bool KeyCategories { get; init; }

    public int Seed { get; init; } = 17;

    public static GlobalModelOptions Default { get; } = new();
}

/// <summary>
/// One gradient-boosted model (ML.NET LightGBM; FastTree where LightGBM's native library cannot load) trained
/// across all series on features from the past only: window means and spreads, same-weekday means, the same
/// days a year earlier, calendar of the target day (weekday, week of year, month: no day of year or of month, which
/// a two-year window would let it learn by heart), days ahead, and optionally the series' keys as categories. Direct
/// multi-horizon: one model for every day ahead (days ahead is a feature), each example drawn at a random
/// origin before its target day. Target and level features are divided by the series' level at the origin, so
/// big and small series weigh alike. Spread: the per-series RMS of its training residuals, grown with the days
/// ahead as the residuals of all series grow; the engine calibrates it on its inner backtest like any model's.
/// </summary>
public sealed class GlobalModel(GlobalModelOptions? options = null)
{
    public const string ModelName = "Global";
    public const string BlendName = "Blend";

    private static volatile string? s_lightGbmFailure;

    public GlobalModelOptions Options { get; } = options ?? GlobalModelOptions.Default;

    /// <summary>
    /// Trains on the days before the earliest inner origin of the engine's backtest (end - innerOrigins x
    /// max(horizon, 7)) and forecasts from each inner origin and from <paramref name="end"/> (features taken at each
    /// origin); a second model trained on all the days before <paramref name="end"/> makes the final forecast when
    /// the first one's training window was cut short. Days on or after <paramref name="end"/> are never read
    /// (histories may run past it). Null entries: the series is too short or has not sold in the last year.
    /// </summary>
    public (GlobalSeriesForecast?[] Forecasts, GlobalRunInfo Info) Forecast(
        IReadOnlyList<GlobalSeries> series, DateOnly end, int horizon, int innerOrigins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var watch = Stopwatch.StartNew();
        if (series.Count == 0) return ([], new GlobalRunInfo("none", 0, 0, watch.Elapsed, null));
        var views = new GlobalFeatures[series.Count];
        Parallel.For(0, series.Count, i =>
        {
            var h = series[i].History;
            var length = Math.Clamp(end.DayNumber - h.Start.DayNumber, 0, h.Length);
            views[i] = new GlobalFeatures(h.Take(length)); // nothing on or after the end is even copied
        });
        var keyCount = series.Count == 0 || !Options.KeyCategories ? 0 : series.Max(s => s.Keys.Count);
        var keys = series.Select(s => Enumerable.Range(0, keyCount).Select(k => k < s.Keys.Count ? s.Keys[k] : "").ToArray()).ToArray();

        var innerHorizon = Math.Max(horizon, 7);
        var origins = Enumerable.Range(1, Math.Max(1, innerOrigins)).Select(j => end.AddDays(-j * innerHorizon)).ToArray();
        var earliest = origins[^1];

        // One training before the earliest inner origin serves the inner backtest and, with its features taken at the
        // end, the forecast too, unless that cut left the training window short (less than TrainingDays of targets with
        // a year of history before them): then a second one on all the days before the end, side by side with the first.
        var longest = views.Max(v => v.First < 0 ? 0 : v.IndexOf(earliest) - v.First);
        var retrain = longest < Options.TrainingDays + GlobalFeatures.YearDays;
        Trained? inner = null, final = null;
        if (retrain)
        {
            Parallel.Invoke(() => inner = Train(views, keys, earliest, innerHorizon), () => final = Train(views, keys, end, horizon));
        }
        else
        {
            final = inner = Train(views, keys, earliest, innerHorizon);
        }
        var forecasts = new GlobalSeriesForecast?[series.Count];
        var innerForecasts = inner?.Predict(views, keys, origins, innerHorizon);
        var finalForecasts = final?.Predict(views, keys, [end], horizon);
        for (var i = 0; i < series.Count; i++)
        {
            var byOrigin = new Dictionary<DateOnly, PointForecast>();
            for (var j = 0; j < origins.Length; j++)
            {
                if (innerForecasts?[j][i] is { } f) byOrigin[origins[j]] = f;
            }
            var last = finalForecasts?[0][i];
            if (byOrigin.Count > 0 || last is not null) forecasts[i] = new GlobalSeriesForecast(earliest, end, byOrigin, last);
        }
        var rows = (inner?.Rows ?? 0) + (retrain ? final?.Rows ?? 0 : 0);
        var trainer = s_lightGbmFailure is null ? "LightGBM" : "FastTree";
        var note = s_lightGbmFailure is null ? null : $"LightGBM's native library could not load ({s_lightGbmFailure}); FastTree stood in.";
        return (forecasts, new GlobalRunInfo(trainer, retrain ? 2 : 1, rows, watch.Elapsed, note));
    }

    private Trained? Train(GlobalFeatures[] views, string[][] keys, DateOnly cut, int horizon)
    {
        var perSeries = Math.Clamp(Options.MaxTrainingRows / Math.Max(1, views.Length), 20, Options.TrainingDays);
        var rows = new List<Row>[views.Length];
        Parallel.For(0, views.Length, i =>
        {
            var view = views[i];
            var list = rows[i] = [];
            var c = Math.Min(view.IndexOf(cut), view.Length);
            if (view.First < 0 || c - view.First < Options.MinHistory + 1) return;
            var random = new Random(Options.Seed + i);
            var span = Math.Min(Options.TrainingDays, c - view.First - Options.MinHistory);
            var stride = (double)span / perSeries;
            for (var j = 0; j < perSeries; j++)
            {
                var t = c - 1 - (int)(j * stride);
                var h = random.Next(1, horizon + 1);
                var o = t - h + 1;
                if (view.Age(o) < Options.MinHistory) continue;
                var level = view.Level(o);
                if (!(level > 0)) continue;
                var row = new Row { Label = (float)(view[t] / level), Features = new float[GlobalFeatures.Count], Keys = keys[i], Series = i, Level = level, DaysAhead = h };
                view.Fill(o, h, level, row.Features);
                list.Add(row);
            }
        });
        var all = rows.SelectMany(r => r).ToList();
        if (all.Count < 100) return null;

        var ml = new MLContext(Options.Seed);
        var data = ml.Data.LoadFromEnumerable(all, Schema(keys.Length == 0 ? 0 : keys[0].Length));
        var model = Fit(ml, data, keys.Length == 0 ? 0 : keys[0].Length);
        // Residuals on an even sample of the training rows (scoring all of them costs as much as a training).
        var every = Math.Max(1, all.Count / ResidualSample);
        var sample = all.Where((_, r) => r % every == 0).ToList();
        var predicted = Score(ml, model, sample);

        // Residual spread per series (scaled), and how the spread of all series grows with the days ahead (per week).
        var buckets = (horizon + 6) / 7;
        var bucketSq = new double[buckets];
        var bucketN = new int[buckets];
        var seriesSq = new double[views.Length];
        var seriesN = new int[views.Length];
        double totalSq = 0;
        for (var r = 0; r < sample.Count; r++)
        {
            var e = sample[r].Label - predicted[r];
            var e2 = (double)e * e;
            totalSq += e2;
            seriesSq[sample[r].Series] += e2;
            seriesN[sample[r].Series]++;
            var b = (sample[r].DaysAhead - 1) / 7;
            bucketSq[b] += e2;
            bucketN[b]++;
        }
        var pooled = Math.Sqrt(totalSq / sample.Count);
        var growth = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var b = h / 7;
            growth[h] = bucketN[b] >= 30 && pooled > 0 ? Math.Sqrt(bucketSq[b] / bucketN[b]) / pooled : 1;
        }
        var scaledSpread = new double[views.Length];
        for (var i = 0; i < views.Length; i++)
        {
            // Shrunk towards the pooled spread when a series has few examples.
            var n = seriesN[i];
            scaledSpread[i] = Math.Sqrt((seriesSq[i] + 10 * pooled * pooled) / (n + 10));
        }
        return new Trained(ml, model, all.Count, scaledSpread, growth, Options);
    }

    private ITransformer Fit(MLContext ml, IDataView data, int keyCount)
    {
        IEstimator<ITransformer> features = keyCount > 0
            ? ml.Transforms.Categorical.OneHotEncoding("KeyIndicators", nameof(Row.Keys), OneHotEncodingEstimator.OutputKind.Indicator)
                .Append(ml.Transforms.Concatenate("AllFeatures", nameof(Row.Features), "KeyIndicators"))
            : ml.Transforms.Concatenate("AllFeatures", nameof(Row.Features));
        if (s_lightGbmFailure is null)
        {
            try
            {
                var lightGbm = ml.Regression.Trainers.LightGbm(WithColumns(new LightGbmRegressionTrainer.Options
                {
                    NumberOfIterations = Options.Iterations,
                    NumberOfLeaves = Options.Leaves,
                    LearningRate = Options.LearningRate,
                    MinimumExampleCountPerLeaf = Options.MinExamplesPerLeaf,
                    NumberOfThreads = Options.Threads,
                    UseCategoricalSplit = keyCount > 0,
                    Seed = Options.Seed,
                    Deterministic = true,
                    Silent = true,
                    Verbose = false,
                    Booster = new GradientBooster.Options { FeatureFraction = 0.8, L2Regularization = 1 },
                }));
                return features.Append(lightGbm).Fit(data);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
            {
                s_lightGbmFailure = e.GetBaseException().Message;
            }
        }
        // The same trees from ML.NET's own managed booster.
        var fastTree = ml.Regression.Trainers.FastTree(WithColumns(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = Options.Iterations, NumberOfLeaves = Options.Leaves, LearningRate = Options.LearningRate,
            MinimumExampleCountPerLeaf = Options.MinExamplesPerLeaf, NumberOfThreads = Options.Threads,
            CategoricalSplit = keyCount > 0, FeatureFraction = 0.8,
        }));
        return features.Append(fastTree).Fit(data);
    }

    private static T WithColumns<T>(T options) where T : Microsoft.ML.Trainers.TrainerInputBaseWithLabel
    {
        options.LabelColumnName = nameof(Row.Label);
        options.FeatureColumnName = "AllFeatures";
        return options;
    }

    private static SchemaDefinition Schema(int keyCount)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, GlobalFeatures.Count);
        if (keyCount > 0) schema[nameof(Row.Keys)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, keyCount);
        else schema.Remove(schema[nameof(Row.Keys)]);
        return schema;
    }

    private const int ResidualSample = 20_000;

    private static float[] Score(MLContext ml, ITransformer model, List<Row> rows)
    {
        var data = ml.Data.LoadFromEnumerable(rows, Schema(rows[0].Keys.Length));
        return model.Transform(data).GetColumn<float>("Score").ToArray();
    }

    private sealed class Trained(MLContext ml, ITransformer model, int rows, double[] scaledSpread, double[] growth, GlobalModelOptions options)
    {
        public int Rows { get; } = rows;

        /// <summary>
        /// Forecasts of every series from each of <paramref name="origins"/> (only days before an origin are read for
        /// its forecast), by origin then series.
        /// </summary>
        public PointForecast?[][] Predict(GlobalFeatures[] views, string[][] keys, DateOnly[] origins, int horizon)
        {
            var rows = new List<Row>(origins.Length * views.Length * horizon);
            for (var j = 0; j < origins.Length; j++)
            {
                for (var i = 0; i < views.Length; i++)
                {
                    var view = views[i];
                    var o = view.IndexOf(origins[j]);
                    var level = view.Level(o);
                    if (o > view.Length || view.Age(o) < options.MinHistory || !(level > 0)) continue;
                    for (var h = 1; h <= horizon; h++)
                    {
                        var row = new Row { Features = new float[GlobalFeatures.Count], Keys = keys[i], Series = i, Origin = j, Level = level, DaysAhead = h };
                        view.Fill(o, h, level, row.Features);
                        rows.Add(row);
                    }
                }
            }
            var result = origins.Select(_ => new PointForecast?[views.Length]).ToArray();
            if (rows.Count == 0) return result;
            var scores = Score(ml, model, rows);
            for (var r = 0; r < rows.Count; r += horizon)
            {
                var (i, level) = (rows[r].Series, rows[r].Level);
                var mean = new double[horizon];
                var sigma = new double[horizon];
                for (var h = 0; h < horizon; h++)
                {
                    mean[h] = scores[r + h] * level;
                    sigma[h] = scaledSpread[i] * growth[Math.Min(h, growth.Length - 1)] * level;
                }
                result[rows[r].Origin][i] = new PointForecast(mean, sigma);
            }
            return result;
        }
    }

    private sealed class Row
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
        public string[] Keys { get; set; } = [];
        [NoColumn] public int Series { get; set; }
        [NoColumn] public double Level { get; set; }
        [NoColumn] public int DaysAhead { get; set; }
        [NoColumn] public int Origin { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }
}
