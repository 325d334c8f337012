namespace ForecastWorker.Forecasting.Global;

/// <summary>
/// The global model's view of one series: prefix sums so that every window mean is O(1), and the features of a
/// forecast made at origin <c>o</c> (the history is days 0..o-1, nothing later is read) for day <c>o + h - 1</c>.
/// Levels are divided by the series' own level at the origin (mean of the last year since the first sale), so
/// series of any size share one model; the target is divided by the same level.
/// </summary>
internal sealed class GlobalFeatures
{
    /// <summary>Stands for a feature that cannot be computed from the past (too short a history): trees split it off.</summary>
    public const float Missing = -1;

    public const int YearDays = 364;

    public static readonly string[] Names =
    [
        "daysAhead", "mean7", "mean28", "mean91", "previousYear", "spread28", "zeroShare28", "sameWeekday4", "sameWeekday12",
        "yearAgoWeek", "yearAgoDay", "yearAgoShape", "last", "logLevel", "dayOfWeek", "month", "weekOfYear", "age",
    ];

    public static int Count => Names.Length;

    private readonly double[] _y;
    private readonly double[] _sum;   // _sum[t] = y[0] + ... + y[t-1]
    private readonly double[] _sumSq;
    private readonly int[] _zeros;

    public GlobalFeatures(SeriesWindow series)
    {
        Start = series.Start;
        _y = series.Values.ToArray();
        First = series.FirstPositive();
        _sum = new double[_y.Length + 1];
        _sumSq = new double[_y.Length + 1];
        _zeros = new int[_y.Length + 1];
        for (var t = 0; t < _y.Length; t++)
        {
            _sum[t + 1] = _sum[t] + _y[t];
            _sumSq[t + 1] = _sumSq[t] + _y[t] * _y[t];
            _zeros[t + 1] = _zeros[t] + (_y[t] > 0 ? 0 : 1);
        }
    }

    public DateOnly Start { get; }

    public int Length => _y.Length;

    /// <summary>Index of the first sale, or -1.</summary>
    public int First { get; }

    public double this[int t] => _y[t];

    /// <summary>Index of <paramref name="date"/> in the series (may be outside it).</summary>
    public int IndexOf(DateOnly date) => date.DayNumber - Start.DayNumber;

    /// <summary>The level at origin o: mean of the last year (or less) since the first sale; 0 when none.</summary>
    public double Level(int o)
    {
        if (First < 0 || o <= First) return 0;
        var from = Math.Max(First, o - YearDays);
        return Mean(from, o);
    }

    /// <summary>Days of history since the first sale at origin o.</summary>
    public int Age(int o) => First < 0 ? 0 : Math.Max(0, o - First);

    /// <summary>Fills <paramref name="features"/> for a forecast at origin o of day o + h - 1 with level <paramref name="level"/> (> 0).</summary>
    public void Fill(int o, int h, double level, Span<float> features)
    {
        var t = o + h - 1;
        var date = Start.AddDays(t);
        var from = Math.Max(First, 0);
        features[0] = h;
        features[1] = Scaled(MeanOrMissing(o - 7, o, from), level);
        features[2] = Scaled(MeanOrMissing(o - 28, o, from), level);
        features[3] = Scaled(MeanOrMissing(o - 91, o, from), level);
        features[4] = o - 2 * YearDays >= from ? (float)(Mean(o - 2 * YearDays, o - YearDays) / level) : Missing;
        features[5] = o - 28 >= from ? (float)(StdDev(o - 28, o) / level) : Missing;
        features[6] = o - 28 >= from ? (_zeros[o] - _zeros[o - 28]) / 28f : Missing;
        features[7] = Scaled(SameWeekday(o, t, 4, from), level);
        features[8] = Scaled(SameWeekday(o, t, 12, from), level);
        var yearAgo = t - YearDays;
        var week = yearAgo - 3 >= from && yearAgo + 4 <= o ? Mean(yearAgo - 3, yearAgo + 4) : double.NaN;
        features[9] = Scaled(week, level);
        features[10] = yearAgo >= from && yearAgo < o ? (float)(_y[yearAgo] / level) : Missing;
        var levelYearAgo = o - YearDays - 28 >= from ? Mean(o - YearDays - 28, o - YearDays) : double.NaN;
        features[11] = double.IsFinite(week) && levelYearAgo > 0 ? (float)(week / levelYearAgo) : Missing;
        features[12] = o - 1 >= from ? (float)(_y[o - 1] / level) : Missing;
        features[13] = (float)Math.Log(level);
        features[14] = (int)date.DayOfWeek;
        features[15] = date.Month;
        features[16] = System.Globalization.ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue));
        features[17] = Math.Min(Age(o), 2 * YearDays);
    }

    private static float Scaled(double value, double level) => double.IsFinite(value) ? (float)(value / level) : Missing;

    private double Mean(int from, int to) => to > from ? (_sum[to] - _sum[from]) / (to - from) : double.NaN;

    private double MeanOrMissing(int from, int to, int first) => from >= first ? Mean(from, to) : double.NaN;

    private double StdDev(int from, int to)
    {
        var n = to - from;
        var mean = (_sum[to] - _sum[from]) / n;
        return Math.Sqrt(Math.Max(0, (_sumSq[to] - _sumSq[from]) / n - mean * mean));
    }

    /// <summary>Mean of the last <paramref name="weeks"/> days before o on the weekday of day t.</summary>
    private double SameWeekday(int o, int t, int weeks, int first)
    {
        // The latest day before o on t's weekday.
        var last = o - 1 - (((o - 1 - t) % 7) + 7) % 7;
        var earliest = last - 7 * (weeks - 1);
        if (earliest < first) return double.NaN;
        var sum = 0.0;
        for (var d = last; d >= earliest; d -= 7) sum += _y[d];
        return sum / weeks;
    }
}
