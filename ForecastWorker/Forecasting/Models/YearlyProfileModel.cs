using MathNet.Numerics.LinearAlgebra;

namespace ForecastWorker.Forecasting.Models;

/// <summary>How the yearly season is shaped.</summary>
public enum YearlyShape
{
    /// <summary>One multiplicative factor per calendar month.</summary>
    Monthly,

    /// <summary>A smooth multiplicative curve over the year: a few Fourier harmonics.</summary>
    Fourier,
}

/// <summary>
/// Level x weekday x yearly season, all multiplicative:
/// <c>forecast(t) = level * growth^t * weekday[dow(t)] * year(t)</c>.
/// The weekday and yearly factors are estimated together from the whole history (up to five years)
/// by alternating ratio estimates against a slowly moving level (a centred moving average of the
/// deseasonalised series); the level is then tracked by exponential smoothing of the deseasonalised
/// series, with its weight fitted by minimising the one-step squared error, and it grows by last
/// year's growth rate, damped. Needs about 13 months of history so that every month is seen.
/// </summary>
public sealed class YearlyProfileModel(YearlyShape shape, int harmonics = 4) : IForecastModel
{
    private const int MaxFitDays = 5 * 365 + 1;
    private const int LevelDays = 728;
    private const int Iterations = 3;
    private const double GrowthDamping = 0.995;
    private const double DaysPerYear = 365.2425;
    private static readonly double[] DaysInMonth = [31, 28.2425, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    public YearlyShape Shape { get; } = shape;
    public string Name => Shape == YearlyShape.Monthly ? "DowMonthProfile" : "DowFourierProfile";
    public int MinHistory => 400;
    public DemandKinds Kinds => DemandKinds.Smooth;

    public IFittedModel? Fit(SeriesWindow history)
    {
        if (history.Length < MinHistory) return null;
        var window = history.TakeLast(MaxFitDays);
        var y = window.Values;
        var n = y.Length;

        var weekday = new double[7];
        Array.Fill(weekday, 1.0);
        var profile = new YearProfile(Shape, harmonics);
        var yearFactor = new double[n];
        Array.Fill(yearFactor, 1.0);
        var level = new double[n];
        CentredMean(y, 182, clampCentres: true, level);
        var adjusted = new double[n];

        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            EstimateWeekday(window, level, yearFactor, weekday);
            profile.Estimate(window, level, weekday);
            profile.Fill(window.Start, yearFactor);
            for (var t = 0; t < n; t++)
            {
                var s = weekday[window.DayOfWeek(t)] * yearFactor[t];
                adjusted[t] = s > 0 ? y[t] / s : 0;
            }
            CentredMean(adjusted, 91, clampCentres: false, level);
        }

        // Growth: the last year's deseasonalised total against the year before.
        var growth = 1.0;
        if (n >= 728)
        {
            double last = 0, previous = 0;
            for (var t = n - 364; t < n; t++) last += adjusted[t];
            for (var t = n - 728; t < n - 364; t++) previous += adjusted[t];
            if (previous > 0 && last > 0) growth = Math.Pow(Math.Clamp(last / previous, 0.5, 2.0), 1.0 / 364);
        }

        var recent = window.TakeLast(LevelDays);
        var factors = Factors(recent, weekday, profile, 0);
        var alpha = Optimizer.GoldenSection(a => RunLevel(recent.Values, factors, a, growth, out _, out _), 0.001, 0.5, 1e-3);
        return new Fitted(weekday, profile, alpha, growth);
    }

    private static double[] Factors(SeriesWindow window, double[] weekday, YearProfile profile, int extra)
    {
        var result = new double[window.Length + extra];
        profile.Fill(window.Start, result);
        var d = window.DayOfWeek(0);
        for (var t = 0; t < result.Length; t++)
        {
            result[t] *= weekday[d];
            if (++d == 7) d = 0;
        }
        return result;
    }

    /// <summary>Smooths the deseasonalised level; returns the one-step SSE on the original scale.</summary>
    private static double RunLevel(ReadOnlySpan<double> y, double[] factors, double alpha, double growth, out double level, out double sigma)
    {
        var n = y.Length;
        level = 0;
        var warmup = Math.Min(28, n);
        for (var t = 0; t < warmup; t++) level += factors[t] > 0 ? y[t] / factors[t] : 0;
        level /= warmup;

        var sse = 0.0;
        var recentSq = 0.0;
        var recentCount = 0;
        var recentFrom = n - ModelMath.ResidualDays;
        for (var t = 0; t < n; t++)
        {
            var predicted = level * growth;
            var e = y[t] - predicted * factors[t];
            sse += e * e;
            if (t >= recentFrom) { recentSq += e * e; recentCount++; }
            var z = factors[t] > 0 ? y[t] / factors[t] : predicted;
            level = predicted + alpha * (z - predicted);
        }
        sigma = ModelMath.Rms(recentSq, recentCount);
        return sse;
    }

    /// <summary>Weekday factors: sales per weekday over what level and yearly season alone predict (mean 1).</summary>
    private static void EstimateWeekday(SeriesWindow window, double[] level, double[] yearFactor, double[] weekday)
    {
        var y = window.Values;
        Span<double> actual = stackalloc double[7];
        Span<double> expected = stackalloc double[7];
        var d = window.DayOfWeek(0);
        for (var t = 0; t < y.Length; t++)
        {
            actual[d] += y[t];
            expected[d] += level[t] * yearFactor[t];
            if (++d == 7) d = 0;
        }
        var total = 0.0;
        for (d = 0; d < 7; d++)
        {
            weekday[d] = expected[d] > 0 ? actual[d] / expected[d] : 1;
            total += weekday[d];
        }
        for (d = 0; d < 7; d++) weekday[d] = total > 0 ? weekday[d] * 7 / total : 1;
    }

    /// <summary>
    /// Mean of x over a centred window of 2*halfWidth+1 days. With clampCentres, days near the ends take
    /// the value of the nearest full window (so a seasonal series is not bent at its ends); otherwise the
    /// window is cut at the ends.
    /// </summary>
    internal static void CentredMean(ReadOnlySpan<double> x, int halfWidth, bool clampCentres, double[] result)
    {
        var n = x.Length;
        var prefix = new double[n + 1];
        for (var t = 0; t < n; t++) prefix[t + 1] = prefix[t] + x[t];
        for (var t = 0; t < n; t++)
        {
            int lo, hi;
            if (clampCentres)
            {
                if (n < 2 * halfWidth + 1) { lo = 0; hi = n - 1; }
                else
                {
                    var c = Math.Clamp(t, halfWidth, n - 1 - halfWidth);
                    lo = c - halfWidth;
                    hi = c + halfWidth;
                }
            }
            else
            {
                lo = Math.Max(0, t - halfWidth);
                hi = Math.Min(n - 1, t + halfWidth);
            }
            result[t] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
        }
    }

    /// <summary>The yearly factor as a function of the date.</summary>
    private sealed class YearProfile(YearlyShape shape, int harmonics)
    {
        // One turn of the Fourier terms per tropical year: the angle grows by this much a day.
        private const double DailyAngle = 2 * Math.PI / DaysPerYear;
        private readonly double[] _month = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        private readonly double[] _coefficients = new double[2 * harmonics];

        /// <summary>The factors of the days from <paramref name="start"/> on, one per element of <paramref name="result"/>.</summary>
        public void Fill(DateOnly start, Span<double> result)
        {
            if (shape == YearlyShape.Monthly)
            {
                var date = start;
                var month = _month[date.Month - 1];
                for (var t = 0; t < result.Length; t++)
                {
                    if (date.Day == 1) month = _month[date.Month - 1];
                    result[t] = month;
                    date = date.AddDays(1);
                }
                return;
            }

            Span<double> basis = stackalloc double[2 * harmonics];
            var angles = new AngleWalk(start);
            for (var t = 0; t < result.Length; t++)
            {
                angles.Harmonics(basis);
                var value = 1.0;
                for (var i = 0; i < basis.Length; i++) value += _coefficients[i] * basis[i];
                result[t] = Math.Max(0.05, value);
                angles.Next();
            }
        }

        public void Estimate(SeriesWindow window, double[] level, double[] weekday)
        {
            if (shape == YearlyShape.Monthly) EstimateMonths(window, level, weekday);
            else EstimateHarmonics(window, level, weekday);
        }

        private void EstimateMonths(SeriesWindow window, double[] level, double[] weekday)
        {
            var y = window.Values;
            Span<double> actual = stackalloc double[12];
            Span<double> expected = stackalloc double[12];
            var date = window.Start;
            var m = date.Month - 1;
            var d = window.DayOfWeek(0);
            for (var t = 0; t < y.Length; t++)
            {
                if (date.Day == 1) m = date.Month - 1;
                actual[m] += y[t];
                expected[m] += level[t] * weekday[d];
                date = date.AddDays(1);
                if (++d == 7) d = 0;
            }
            var total = 0.0;
            for (m = 0; m < 12; m++)
            {
                _month[m] = expected[m] > 0 ? actual[m] / expected[m] : 1;
                total += _month[m] * DaysInMonth[m];
            }
            var scale = total > 0 ? DaysPerYear / total : 1;
            for (m = 0; m < 12; m++) _month[m] *= scale;
        }

        /// <summary>Least squares of y on level * weekday * (1 + harmonics).</summary>
        private void EstimateHarmonics(SeriesWindow window, double[] level, double[] weekday)
        {
            var y = window.Values;
            var p = 2 * harmonics;
            var normal = new double[p * p];
            var right = new double[p];
            Span<double> x = stackalloc double[p];
            var angles = new AngleWalk(window.Start);
            var d = window.DayOfWeek(0);
            for (var t = 0; t < y.Length; t++)
            {
                var scale = level[t] * weekday[d];
                angles.Harmonics(x);
                angles.Next();
                if (++d == 7) d = 0;
                for (var i = 0; i < p; i++) x[i] *= scale;
                var target = y[t] - scale;
                for (var i = 0; i < p; i++)
                {
                    right[i] += x[i] * target;
                    for (var j = 0; j <= i; j++) normal[i * p + j] += x[i] * x[j];
                }
            }
            for (var i = 0; i < p; i++)
            {
                for (var j = 0; j < i; j++) normal[j * p + i] = normal[i * p + j];
                normal[i * p + i] += 1e-9 * (normal[i * p + i] + 1);
            }
            var solution = Matrix<double>.Build.DenseOfColumnMajor(p, p, normal).Cholesky().Solve(Vector<double>.Build.Dense(right));
            for (var i = 0; i < p; i++) _coefficients[i] = double.IsFinite(solution[i]) ? solution[i] : 0;
        }

        /// <summary>Walks the year angle day by day by rotation, giving cos(k a) and sin(k a) for k = 1..harmonics.</summary>
        private struct AngleWalk
        {
            private static readonly double StepCos = Math.Cos(DailyAngle);
            private static readonly double StepSin = Math.Sin(DailyAngle);
            private double _cos;
            private double _sin;

            public AngleWalk(DateOnly start)
            {
                var years = start.DayNumber / DaysPerYear;
                var angle = 2 * Math.PI * (years - Math.Floor(years));
                _cos = Math.Cos(angle);
                _sin = Math.Sin(angle);
            }

            public readonly void Harmonics(Span<double> basis)
            {
                double c = _cos, s = _sin;
                for (var k = 0; k < basis.Length / 2; k++)
                {
                    basis[2 * k] = c;
                    basis[2 * k + 1] = s;
                    (c, s) = (c * _cos - s * _sin, s * _cos + c * _sin);
                }
            }

            public void Next() => (_cos, _sin) = (_cos * StepCos - _sin * StepSin, _sin * StepCos + _cos * StepSin);
        }
    }

    private sealed class Fitted(double[] weekday, YearProfile profile, double alpha, double growth) : IFittedModel
    {
        public PointForecast Forecast(SeriesWindow history, int horizon)
        {
            var window = history.TakeLast(LevelDays);
            var factors = Factors(window, weekday, profile, horizon);
            RunLevel(window.Values, factors, alpha, growth, out var level, out var sigma);
            var mean = new double[horizon];
            var exponent = 0.0;
            var damping = 1.0;
            for (var h = 0; h < horizon; h++)
            {
                damping *= GrowthDamping;
                exponent += damping;
                mean[h] = level * Math.Pow(growth, exponent) * factors[window.Length + h];
            }
            return new PointForecast(mean, ModelMath.LevelSigma(sigma, alpha, horizon));
        }
    }
}
