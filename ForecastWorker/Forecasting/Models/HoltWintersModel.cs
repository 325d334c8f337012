namespace ForecastWorker.Forecasting.Models;

/// <summary>
/// Holt-Winters with a damped trend and weekly seasonality, additive (ETS(A,Ad,A)) or multiplicative
/// (ETS(A,Ad,M)) season. Smoothing weights and damping minimise the in-sample one-step squared error over
/// the last two years (Nelder–Mead). The multiplicative form needs a history without zero days.
/// </summary>
public sealed class HoltWintersModel(bool multiplicative) : IForecastModel
{
    private const int FitDays = 728;
    private const int InitWeeks = 4;
    private const int Season = 7;

    private static readonly double[] Lower = [0.001, 0.0, 0.001, 0.8];
    private static readonly double[] Upper = [0.6, 0.2, 0.5, 0.98];
    private static readonly double[] Start = [0.05, 0.01, 0.05, 0.95];
    private static readonly double[] Step = [0.1, 0.05, 0.1, 0.05];

    public bool Multiplicative { get; } = multiplicative;
    public string Name => Multiplicative ? "HoltWintersMultiplicative" : "HoltWintersAdditive";
    public int MinHistory => 3 * InitWeeks * Season;
    public DemandKinds Kinds => DemandKinds.Smooth;

    public IFittedModel? Fit(SeriesWindow history)
    {
        if (history.Length < MinHistory) return null;
        var window = history.TakeLast(FitDays);
        if (Multiplicative && !ModelMath.AllPositive(window.Values)) return null;
        var season = new double[Season];
        var p = Optimizer.NelderMead(
            x => Run(window, Multiplicative, Parameters.From(x), season, out _, out _, out _),
            Start, Step, Lower, Upper, maxEvaluations: 120, tolerance: 1e-6);
        return new Fitted(this, Parameters.From(p));
    }

    internal readonly record struct Parameters(double Alpha, double Beta, double Gamma, double Phi)
    {
        // gamma is searched as a share of its admissible range (gamma <= 1 - alpha).
        public static Parameters From(double[] x) => new(x[0], x[1], x[2] * (1 - x[0]), x[3]);
    }

    /// <summary>Runs the filter over the window; returns the one-step SSE after the first two weeks.</summary>
    internal static double Run(
        SeriesWindow window, bool multiplicative, Parameters p, double[] season,
        out double level, out double trend, out double sigma)
    {
        var y = window.Values;
        var n = y.Length;
        Initialise(window, multiplicative, season, out level, out trend);

        var sse = 0.0;
        var recentSq = 0.0;
        var recentCount = 0;
        var recentFrom = n - ModelMath.ResidualDays;
        var (alpha, beta, gamma, phi) = p;
        var d = window.DayOfWeek(0);
        var invalid = false;
        for (var t = 0; t < n; t++)
        {
            var s = season[d];
            var baseLevel = level + phi * trend;
            double newLevel;
            double e;
            if (multiplicative)
            {
                e = y[t] - baseLevel * s;
                newLevel = alpha * y[t] / s + (1 - alpha) * baseLevel;
                if (!(newLevel > 0))
                {
                    // Parameters that drive the level to zero are refused when fitting; a forecast keeps going.
                    invalid = true;
                    newLevel = 1e-9;
                }
                season[d] = gamma * y[t] / newLevel + (1 - gamma) * s;
            }
            else
            {
                e = y[t] - baseLevel - s;
                newLevel = alpha * (y[t] - s) + (1 - alpha) * baseLevel;
                season[d] = gamma * (y[t] - newLevel) + (1 - gamma) * s;
            }
            trend = beta * (newLevel - level) + (1 - beta) * phi * trend;
            level = newLevel;
            if (t >= 2 * Season) sse += e * e;
            if (t >= recentFrom) { recentSq += e * e; recentCount++; }
            if (++d == Season) d = 0;
        }
        sigma = ModelMath.Rms(recentSq, recentCount);
        return invalid ? double.MaxValue : sse;
    }

    /// <summary>Level, trend and weekday indices from the first weeks (classical decomposition).</summary>
    private static void Initialise(SeriesWindow window, bool multiplicative, double[] season, out double level, out double trend)
    {
        var y = window.Values;
        var weeks = Math.Min(InitWeeks, y.Length / Season);
        Span<double> weekMeans = stackalloc double[InitWeeks];
        for (var w = 0; w < weeks; w++) weekMeans[w] = ModelMath.Mean(y.Slice(w * Season, Season));
        Array.Clear(season);
        for (var w = 0; w < weeks; w++)
        {
            for (var i = 0; i < Season; i++)
            {
                var d = window.DayOfWeek(w * Season + i);
                var value = y[w * Season + i];
                season[d] += multiplicative
                    ? (weekMeans[w] > 0 ? value / weekMeans[w] : 1)
                    : value - weekMeans[w];
            }
        }
        for (var d = 0; d < Season; d++) season[d] /= weeks;
        trend = weeks > 1 ? (weekMeans[weeks - 1] - weekMeans[0]) / ((weeks - 1) * Season) : 0;
        // The level just before day 0: the first week's mean, half a week of trend earlier.
        level = weekMeans[0] - 3.5 * trend;
    }

    private sealed class Fitted(HoltWintersModel model, Parameters p) : IFittedModel
    {
        public PointForecast Forecast(SeriesWindow history, int horizon)
        {
            var window = history.TakeLast(FitDays);
            var season = new double[Season];
            Run(window, model.Multiplicative, p, season, out var level, out var trend, out var sigma);

            var mean = new double[horizon];
            var spread = new double[horizon];
            var damping = 0.0;
            var phiPower = 1.0;
            var variance = 1.0;
            for (var h = 0; h < horizon; h++)
            {
                phiPower *= p.Phi;
                damping += phiPower;
                var d = window.DayOfWeek(window.Length + h);
                var baseLevel = level + damping * trend;
                mean[h] = model.Multiplicative ? baseLevel * season[d] : baseLevel + season[d];
                spread[h] = sigma * Math.Sqrt(variance);
                // ETS(A,Ad,A) variance growth: c_j = alpha (1 + beta phi_j) + gamma [j is a whole number of weeks],
                // with beta the classical trend weight and phi_j = phi + ... + phi^j.
                var j = h + 1;
                var c = p.Alpha * (1 + p.Beta * damping) + (j % Season == 0 ? p.Gamma : 0);
                variance += c * c;
            }
            return new PointForecast(mean, spread);
        }
    }
}
