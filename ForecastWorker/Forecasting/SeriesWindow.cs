namespace ForecastWorker.Forecasting;

/// <summary>
/// A read-only view of a daily series: <see cref="Length"/> consecutive days starting at <see cref="Start"/>.
/// Views share one backing array, so cutting a history at a backtest origin allocates nothing.
/// </summary>
public readonly struct SeriesWindow
{
    private readonly double[] _data;
    private readonly int _offset;

    public SeriesWindow(double[] data, DateOnly start) : this(data, 0, data.Length, start) { }

    public SeriesWindow(double[] data, int offset, int length, DateOnly start)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, data.Length);
        _data = data;
        _offset = offset;
        Length = length;
        Start = start;
    }

    /// <summary>Date of the first value.</summary>
    public DateOnly Start { get; }

    public int Length { get; }

    public ReadOnlySpan<double> Values => _data.AsSpan(_offset, Length);

    public double this[int t] => _data[_offset + t];

    /// <summary>Date of the day after the last value: the first forecast day.</summary>
    public DateOnly End => Start.AddDays(Length);

    /// <summary>Day of week of value <paramref name="t"/> (0 = Sunday); t may run past the end.</summary>
    public int DayOfWeek(int t) => ((int)Start.DayOfWeek + t) % 7;

    /// <summary>The first <paramref name="length"/> days: the history as it was known at that point.</summary>
    public SeriesWindow Take(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        return new SeriesWindow(_data, _offset, length, Start);
    }

    /// <summary>The last <paramref name="length"/> days (all of them when the series is shorter).</summary>
    public SeriesWindow TakeLast(int length)
    {
        var n = Math.Min(length, Length);
        return new SeriesWindow(_data, _offset + Length - n, n, Start.AddDays(Length - n));
    }

    /// <summary>Drops the days before <paramref name="count"/>.</summary>
    public SeriesWindow Skip(int count)
    {
        var n = Math.Min(count, Length);
        return new SeriesWindow(_data, _offset + n, Length - n, Start.AddDays(n));
    }

    /// <summary>Index of the first value above zero, or -1 when there is none.</summary>
    public int FirstPositive()
    {
        var values = Values;
        for (var t = 0; t < values.Length; t++)
        {
            if (values[t] > 0) return t;
        }
        return -1;
    }
}
