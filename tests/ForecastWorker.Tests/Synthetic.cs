using ForecastWorker.Forecasting;

namespace ForecastWorker.Tests;

/// <summary>Series with known structure for the tests (deterministic: seeded randomness).</summary>
internal static class Synthetic
{
    public static readonly DateOnly Start = new(2015, 1, 5); // a Monday

    /// <summary>Index 0 is Sunday, as <see cref="DayOfWeek"/>.</summary>
    public static readonly double[] WeeklyPattern = [70, 20, 30, 35, 40, 50, 90];

    public static double[] Weekly(int days, DateOnly start) =>
        Enumerable.Range(0, days).Select(t => WeeklyPattern[(int)start.AddDays(t).DayOfWeek]).ToArray();

    public static double[] Constant(int days, double value) => Enumerable.Repeat(value, days).ToArray();

    public static double[] Linear(int days, double intercept, double slope) =>
        Enumerable.Range(0, days).Select(t => intercept + slope * t).ToArray();

    /// <summary>Intermittent demand: a sale on a day with probability p, of 1 + Poisson(size - 1) units.</summary>
    public static double[] Intermittent(int days, double probability, double meanSize, int seed)
    {
        var random = new Random(seed);
        var y = new double[days];
        for (var t = 0; t < days; t++)
        {
            if (random.NextDouble() < probability) y[t] = 1 + Poisson(random, meanSize - 1);
        }
        return y;
    }

    /// <summary>Level x weekday x month, with Poisson noise: shaped like store-item demand.</summary>
    public static double[] Seasonal(int days, DateOnly start, double level, int seed)
    {
        double[] month = [0.75, 0.8, 0.95, 1.05, 1.1, 1.2, 1.3, 1.2, 1.05, 0.95, 0.85, 0.8];
        double[] weekday = [1.25, 0.8, 0.9, 0.92, 0.98, 1.05, 1.1];
        var random = new Random(seed);
        var y = new double[days];
        for (var t = 0; t < days; t++)
        {
            var date = start.AddDays(t);
            y[t] = Poisson(random, level * (1 + 0.0002 * t) * month[date.Month - 1] * weekday[(int)date.DayOfWeek]);
        }
        return y;
    }

    public static int Poisson(Random random, double mean)
    {
        if (mean <= 0) return 0;
        if (mean > 30)
        {
            // Normal approximation for large means (Box–Muller).
            var u = 1 - random.NextDouble();
            var v = random.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * z));
        }
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }
        return k;
    }

    public static SeriesWindow Window(double[] values) => new(values, Start);
}
