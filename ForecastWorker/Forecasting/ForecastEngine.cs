using ForecastWorker.Forecasting.Global;
using ForecastWorker.Forecasting.Models;

namespace ForecastWorker.Forecasting;

/// <summary>
/// Forecasts one series with the pool of models: classifies the demand (smooth or intermittent), ranks the
/// models of that kind by a rolling-origin backtest inside the history (origins before the end, never data
/// after the forecast origin), averages the best few, and puts 80% and 95% intervals around the mean from
/// the models' error spread, calibrated on the same inner backtest. Thread-safe: one engine serves a
/// Parallel.For over series.
/// </summary>
public sealed class ForecastEngine
{
    private static readonly double[] IntervalProbabilities = [0.025, 0.10, 0.90, 0.975];
    private static readonly double[] NormalQuantiles = [-1.959964, -1.281552, 1.281552, 1.959964];

    private readonly IForecastModel[] _pool;

    public ForecastEngine(IEnumerable<IForecastModel>? pool = null, ForecastOptions? options = null)
    {
        _pool = (pool ?? DefaultPool()).ToArray();
        if (_pool.Length == 0) throw new ArgumentException("The model pool is empty.", nameof(pool));
        if (_pool.Select(m => m.Name).Distinct().Count() != _pool.Length) throw new ArgumentException("Model names must be unique.", nameof(pool));
        Options = options ?? ForecastOptions.Default;
    }

    public ForecastOptions Options { get; }

    public IReadOnlyList<IForecastModel> Pool => _pool;

    /// <summary>The standard pool: benchmarks, exponential smoothing, Theta, yearly profiles, intermittent methods.</summary>
    public static IForecastModel[] DefaultPool() =>
    [
        new SeasonalNaiveModel(),
        new SimpleExponentialSmoothingModel(),
        new HoltWintersModel(multiplicative: false),
        new HoltWintersModel(multiplicative: true),
        new ThetaModel(),
        new YearlyProfileModel(YearlyShape.Monthly),
        new YearlyProfileModel(YearlyShape.Fourier),
        new CrostonModel(CrostonVariant.Classic),
        new CrostonModel(CrostonVariant.Sba),
        new TsbModel(),
    ];

    /// <summary>
    /// Forecasts <paramref name="horizon"/> days after the end of <paramref name="history"/>.
    /// </summary>
    /// <param name="prior">Daily level to fall back on when there is no history at all (e.g. similar items).</param>
    /// <param name="allMethods">Also return every pool model's own forecast (for backtests).</param>
    /// <param name="global">
    /// The global model's forecasts for this series (<see cref="GlobalModel"/>): it joins the inner backtest beside the
    /// pool, with its blend with the best pool model. Its inner forecasts must come from a model trained before the
    /// earliest inner origin, and its final one from the end of this history.
    /// </param>
    public SeriesForecast Forecast(SeriesWindow history, int horizon, double? prior = null, bool allMethods = false, GlobalSeriesForecast? global = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var first = history.FirstPositive();
        if (first < 0) return NoSales(history, horizon, prior, allMethods);

        var y = history.Skip(first);
        var n = y.Length;
        // The inner backtest forecasts at least a week ahead, even for a shorter horizon.
        var innerHorizon = Math.Min(Math.Max(horizon, 7), n - Options.MinTrainingDays);
        if (innerHorizon < 7) return ShortHistory(y, history.End, horizon, allMethods);

        var intermittent = IsIntermittent(y.TakeLast(365).Values);
        var kind = intermittent ? DemandKinds.Intermittent : DemandKinds.Smooth;

        // Inner origins: the last test window ends at the end of the history, the others horizon apart.
        var cutCount = 0;
        Span<int> cuts = stackalloc int[Math.Max(1, Options.InnerOrigins)];
        for (var j = 1; j <= Options.InnerOrigins; j++)
        {
            var cut = n - j * innerHorizon;
            if (cut < Options.MinTrainingDays) break;
            cuts[cutCount++] = cut;
        }
        var earliest = cuts[cutCount - 1];

        var candidates = new List<Candidate>(_pool.Length);
        foreach (var model in _pool)
        {
            if ((model.Kinds & kind) == 0 || model.MinHistory > earliest) continue;
            var fitted = model.Fit(y.Take(earliest));
            if (fitted is null) continue;
            var candidate = new Candidate(model.Name, cutCount, () => FinalForecast(model, y, earliest, horizon, ranked: true));
            for (var j = 0; j < cutCount && candidate.Usable; j++)
            {
                candidate.Score(j, fitted.Forecast(y.Take(cuts[j]), innerHorizon), y.Values.Slice(cuts[j], innerHorizon));
            }
            if (candidate.Usable) candidates.Add(candidate);
        }
        candidates.Sort((a, b) => a.Sse.CompareTo(b.Sse));
        // The global model serves smooth demand: on intermittent series its level-scaled squared error over-forecast at
        // long horizons (validation sets: +16% at 90 days) for no gain in RMSSE, where the Croston family is unbiased.
        if (global is not null && !intermittent) AddGlobalCandidates(candidates, global, y, cuts[..cutCount], innerHorizon, horizon, history.End);
        if (candidates.Count == 0) return ShortHistory(y, history.End, horizon, allMethods);
        candidates.Sort((a, b) => a.Sse.CompareTo(b.Sse));

        // The best model, joined by those nearly as good in the backtest, each refitted on the whole history.
        var finals = new Dictionary<string, PointForecast?>(_pool.Length);
        var chosenList = new List<Candidate>(Options.CombineTop);
        foreach (var candidate in candidates)
        {
            if (chosenList.Count >= Math.Max(1, Options.CombineTop)) break;
            if (chosenList.Count > 0 && candidate.Sse > Options.CombineWithin * chosenList[0].Sse) break;
            var forecast = candidate.Final();
            finals[candidate.Name] = forecast;
            if (forecast is not null) chosenList.Add(candidate);
        }
        if (chosenList.Count == 0) return ShortHistory(y, history.End, horizon, allMethods);
        if (allMethods)
        {
            foreach (var model in _pool)
            {
                if (!finals.ContainsKey(model.Name)) finals[model.Name] = FinalForecast(model, y, earliest, horizon, ranked: false);
            }
            foreach (var candidate in candidates)
            {
                if (!finals.ContainsKey(candidate.Name)) finals[candidate.Name] = candidate.Final();
            }
            if (global is not null)
            {
                foreach (var name in GlobalNames) finals.TryAdd(name, null);
            }
        }
        var chosen = chosenList.ToArray();
        var weights = Weights(chosen);
        var innerScale = NaiveScale(y.Take(earliest).Values);
        var innerPoints = (double)cutCount * innerHorizon;

        var mean = new double[horizon];
        var sigma = new double[horizon];
        for (var i = 0; i < chosen.Length; i++)
        {
            var f = finals[chosen[i].Name]!;
            for (var h = 0; h < horizon; h++)
            {
                mean[h] += weights[i] * f.Mean[h];
                sigma[h] += weights[i] * f.Sigma[h];
            }
        }

        // Errors of the combination at the inner origins, in units of its own predicted spread.
        var standardised = new double[cutCount * innerHorizon];
        var combinedSse = 0.0;
        for (var j = 0; j < cutCount; j++)
        {
            var actual = y.Values.Slice(cuts[j], innerHorizon);
            for (var h = 0; h < innerHorizon; h++)
            {
                double m = 0, s = 0;
                for (var i = 0; i < chosen.Length; i++)
                {
                    m += weights[i] * chosen[i].Inner[j].Mean[h];
                    s += weights[i] * chosen[i].Inner[j].Sigma[h];
                }
                var e = actual[h] - m;
                combinedSse += e * e;
                standardised[j * innerHorizon + h] = s > 0 ? e / s : 0;
            }
        }
        var intervals = BuildIntervals(mean, sigma, IntervalMultipliers(standardised));

        var components = new ModelWeight[chosen.Length];
        for (var i = 0; i < chosen.Length; i++)
        {
            components[i] = new ModelWeight(chosen[i].Name, weights[i], Rmsse(chosen[i].Sse, innerPoints, innerScale));
        }
        var method = chosen.Length == 1 ? chosen[0].Name : "Combination(" + string.Join('+', chosen.Select(c => c.Name)) + ")";
        return new SeriesForecast(
            history.End, mean, intervals[1], intervals[2], intervals[0], intervals[3], method, components,
            Rmsse(combinedSse, innerPoints, innerScale), intermittent ? ForecastFlags.Intermittent : ForecastFlags.None, null)
        {
            MethodMeans = allMethods ? finals.ToDictionary(kv => kv.Key, kv => kv.Value?.Mean) : null,
        };
    }

    /// <summary>
    /// Whether the global model is offered to this series: it has sold and its demand is smooth (intermittent series
    /// are left to the statistical pool). Callers train the global model on these series only.
    /// </summary>
    public bool OffersGlobalModel(SeriesWindow history)
    {
        var first = history.FirstPositive();
        return first >= 0 && !IsIntermittent(history.Skip(first).TakeLast(365).Values);
    }

    /// <summary>Intermittent when the share of days with sales is below the threshold (Syntetos–Boylan ADI).</summary>
    public bool IsIntermittent(ReadOnlySpan<double> recent)
    {
        if (recent.IsEmpty) return false;
        var withSales = 0;
        foreach (var v in recent) if (v > 0) withSales++;
        return withSales < Options.IntermittentBelow * recent.Length;
    }

    private double[] Weights(Candidate[] chosen)
    {
        var weights = new double[chosen.Length];
        if (Options.InverseErrorWeights)
        {
            var total = 0.0;
            for (var i = 0; i < chosen.Length; i++) total += weights[i] = 1 / Math.Max(chosen[i].Sse, 1e-12);
            for (var i = 0; i < chosen.Length; i++) weights[i] /= total;
        }
        else
        {
            Array.Fill(weights, 1.0 / chosen.Length);
        }
        return weights;
    }

    private static double? Rmsse(double sse, double points, double scale) =>
        scale > 0 && points > 0 ? Math.Sqrt(sse / points) / scale : null;

    /// <summary>RMS of the day-to-day changes: the M5 scale of RMSSE.</summary>
    private static double NaiveScale(ReadOnlySpan<double> y)
    {
        var sum = 0.0;
        for (var t = 1; t < y.Length; t++) sum += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
        return y.Length > 1 ? Math.Sqrt(sum / (y.Length - 1)) : 0;
    }

    /// <summary>
    /// Multipliers of the spread for the 2.5%, 10%, 90% and 97.5% bounds: half the empirical quantile of the
    /// standardised backtest errors, half the normal quantile scaled by their RMS (never narrower than the
    /// model's own spread), so that skewed errors (intermittent demand) give skewed intervals.
    /// </summary>
    internal static double[] IntervalMultipliers(double[] standardised)
    {
        var result = new double[4];
        if (standardised.Length < 20)
        {
            for (var i = 0; i < 4; i++) result[i] = NormalQuantiles[i] * 1.25;
            return result;
        }
        var sumSq = 0.0;
        foreach (var u in standardised) sumSq += u * u;
        var rms = Math.Max(1.0, Math.Sqrt(sumSq / standardised.Length));
        var sorted = (double[])standardised.Clone();
        Array.Sort(sorted);
        for (var i = 0; i < 4; i++)
        {
            var empirical = Quantile(sorted, IntervalProbabilities[i]);
            var value = 0.5 * empirical + 0.5 * NormalQuantiles[i] * rms;
            result[i] = i < 2 ? Math.Min(value, 0) : Math.Max(value, 0);
        }
        return result;
    }

    internal static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Lower95, Lower80, Upper80, Upper95 around the mean, clipped at zero.</summary>
    private static double[][] BuildIntervals(double[] mean, double[] sigma, double[] multipliers)
    {
        var horizon = mean.Length;
        var bounds = new double[4][];
        for (var i = 0; i < 4; i++)
        {
            bounds[i] = new double[horizon];
            for (var h = 0; h < horizon; h++)
            {
                var value = mean[h] + multipliers[i] * sigma[h];
                bounds[i][h] = i < 2 ? Math.Clamp(value, 0, mean[h]) : Math.Max(value, mean[h]);
            }
        }
        return bounds;
    }

    /// <summary>
    /// The model refitted on the whole history; a model that ranked in the backtest but cannot be fitted on the
    /// whole history keeps the parameters of the earliest inner origin. Null when unusable.
    /// </summary>
    private static PointForecast? FinalForecast(IForecastModel model, SeriesWindow y, int earliest, int horizon, bool ranked)
    {
        var forecast = y.Length >= model.MinHistory ? model.Fit(y)?.Forecast(y, horizon) : null;
        if (forecast is null && ranked) forecast = model.Fit(y.Take(earliest))?.Forecast(y, horizon);
        if (forecast is null || !IsFinite(forecast)) return null;
        ClipAtZero(forecast.Mean);
        return forecast;
    }

    private static bool IsFinite(PointForecast forecast)
    {
        foreach (var v in forecast.Mean) if (!double.IsFinite(v)) return false;
        foreach (var v in forecast.Sigma) if (!double.IsFinite(v) || v < 0) return false;
        return true;
    }

    private static void ClipAtZero(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!(values[i] > 0)) values[i] = 0;
        }
    }

    private SeriesForecast NoSales(SeriesWindow history, int horizon, double? prior, bool allMethods)
    {
        var mean = new double[horizon];
        var zero = new double[horizon];
        var upper80 = new double[horizon];
        var upper95 = new double[horizon];
        ForecastFlags flags;
        string note;
        if (history.Length == 0)
        {
            flags = ForecastFlags.NoHistory;
            var level = Math.Max(prior ?? 0, 0);
            Array.Fill(mean, level);
            Array.Fill(upper80, 2 * level);
            Array.Fill(upper95, 3 * level);
            note = prior is null
                ? "No sales history and no prior: forecast is zero."
                : "No sales history: forecast is the prior level, intervals 0 to 3x the prior.";
        }
        else
        {
            // Rule of three: with no sale in n days, the daily rate is below 3/n with 95% confidence.
            flags = ForecastFlags.NoSales;
            Array.Fill(upper80, -Math.Log(0.2) / history.Length);
            Array.Fill(upper95, 3.0 / history.Length);
            note = $"No sale in {history.Length} days: forecast is zero; upper bounds are the largest daily rates consistent with that.";
        }
        return new SeriesForecast(history.End, mean, zero, upper80, (double[])zero.Clone(), upper95, "None", [], null, flags, note)
        {
            MethodMeans = allMethods ? _pool.ToDictionary(m => m.Name, _ => (double[]?)null) : null,
        };
    }

    /// <summary>Too short to backtest: the mean of the last (up to) four weeks, with intervals widened by half.</summary>
    private SeriesForecast ShortHistory(SeriesWindow y, DateOnly start, int horizon, bool allMethods)
    {
        var recent = y.TakeLast(28).Values;
        var level = ModelMath.Mean(recent);
        var variance = 0.0;
        foreach (var v in recent) variance += (v - level) * (v - level);
        variance = recent.Length > 1 ? variance / (recent.Length - 1) : level;
        // At least Poisson spread, plus the uncertainty of the mean itself.
        var spread = 1.5 * Math.Sqrt(Math.Max(variance, level) * (1 + 1.0 / recent.Length));
        var mean = new double[horizon];
        var sigma = new double[horizon];
        Array.Fill(mean, level);
        Array.Fill(sigma, spread);
        var multipliers = (double[])NormalQuantiles.Clone();
        var bounds = BuildIntervals(mean, sigma, multipliers);
        return new SeriesForecast(
            start, mean, bounds[1], bounds[2], bounds[0], bounds[3], "RecentMean", [], null, ForecastFlags.ShortHistory,
            $"Only {y.Length} days since the first sale: flat mean of the last {recent.Length} days, intervals widened.")
        {
            MethodMeans = allMethods ? _pool.ToDictionary(m => m.Name, _ => (double[]?)null) : null,
        };
    }

    /// <summary>The names of the global model and its blend, as they appear among the methods.</summary>
    public static readonly string[] GlobalNames = [GlobalModel.ModelName, GlobalModel.BlendName];

    /// <summary>
    /// The global model, and its equal blend with the best pool model, as candidates scored on the same inner
    /// origins. Refuses global forecasts that could have seen the inner test windows or that start elsewhere.
    /// </summary>
    private static void AddGlobalCandidates(
        List<Candidate> candidates, GlobalSeriesForecast global, SeriesWindow y, ReadOnlySpan<int> cuts, int innerHorizon, int horizon, DateOnly end)
    {
        if (global.Origin != end) throw new ArgumentException($"The global forecast starts on {global.Origin}, the history ends before {end}.", nameof(global));
        var earliestDate = y.Start.AddDays(cuts[^1]);
        if (global.TrainedBefore > earliestDate)
        {
            throw new ArgumentException($"The global model was trained on days up to {global.TrainedBefore.AddDays(-1)}, after the earliest inner origin {earliestDate}: it would see the inner test windows.", nameof(global));
        }
        if (global.Final is not { } final || final.Mean.Length < horizon || !IsFinite(final)) return;
        var candidate = new Candidate(GlobalModel.ModelName, cuts.Length, () => Clipped(final, horizon));
        for (var j = 0; j < cuts.Length && candidate.Usable; j++)
        {
            if (!global.Inner.TryGetValue(y.Start.AddDays(cuts[j]), out var inner) || inner.Mean.Length < innerHorizon) { candidate.Usable = false; break; }
            candidate.Score(j, Clipped(inner, innerHorizon), y.Values.Slice(cuts[j], innerHorizon));
        }
        if (!candidate.Usable) return;
        if (candidates.Count > 0)
        {
            var best = candidates[0];
            var blend = new Candidate(GlobalModel.BlendName, cuts.Length, () => best.Final() is { } f ? Average(f, Clipped(final, horizon)) : null);
            for (var j = 0; j < cuts.Length; j++)
            {
                blend.Score(j, Average(best.Inner[j], candidate.Inner[j]), y.Values.Slice(cuts[j], innerHorizon));
            }
            if (blend.Usable) candidates.Add(blend);
        }
        candidates.Add(candidate);
    }

    private static PointForecast Clipped(PointForecast forecast, int horizon)
    {
        var mean = forecast.Mean[..horizon];
        ClipAtZero(mean);
        return new PointForecast(mean, forecast.Sigma[..horizon]);
    }

    private static PointForecast Average(PointForecast a, PointForecast b)
    {
        var mean = new double[a.Mean.Length];
        var sigma = new double[a.Mean.Length];
        for (var h = 0; h < mean.Length; h++)
        {
            mean[h] = 0.5 * (a.Mean[h] + b.Mean[h]);
            sigma[h] = 0.5 * (a.Sigma[h] + b.Sigma[h]);
        }
        return new PointForecast(mean, sigma);
    }

    private sealed class Candidate(string name, int origins, Func<PointForecast?> final)
    {
        private PointForecast? _final;
        private bool _finalDone;

        public string Name { get; } = name;
        public PointForecast[] Inner { get; } = new PointForecast[origins];
        public double Sse { get; private set; }
        public bool Usable { get; set; } = true;

        /// <summary>The forecast from the end of the history (made once, on first use).</summary>
        public PointForecast? Final()
        {
            if (!_finalDone) { _final = final(); _finalDone = true; }
            return _final;
        }

        /// <summary>Records the forecast at inner origin j (clipped at zero) and adds its squared errors.</summary>
        public void Score(int j, PointForecast forecast, ReadOnlySpan<double> actual)
        {
            if (!IsFinite(forecast)) { Usable = false; return; }
            ClipAtZero(forecast.Mean);
            Inner[j] = forecast;
            for (var h = 0; h < actual.Length; h++)
            {
                var e = actual[h] - forecast.Mean[h];
                Sse += e * e;
            }
        }
    }
}
