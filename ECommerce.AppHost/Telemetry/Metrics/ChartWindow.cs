namespace ECommerce.AppHost.Telemetry;

/// <summary>The time range of a chart, cut into equal bins; the last bin is the last complete one.</summary>
public sealed record ChartWindow(DateTime EndUtc, TimeSpan Length, TimeSpan Bin)
{
    public DateTime StartUtc => EndUtc - Length;

    public int BinCount => (int)(Length.Ticks / Bin.Ticks);

    public double BinSeconds => Bin.TotalSeconds;

    /// <summary>A window of the given length ending now, with about 60 bins (never under a second).</summary>
    public static ChartWindow Ending(DateTime nowUtc, TimeSpan length)
    {
        var bin = TimeSpan.FromSeconds(Math.Max(1, Math.Round(length.TotalSeconds / 60)));
        var end = new DateTime(nowUtc.Ticks / bin.Ticks * bin.Ticks, DateTimeKind.Utc);
        return new ChartWindow(end, TimeSpan.FromTicks(bin.Ticks * (long)Math.Round(length / bin)), bin);
    }

    /// <summary>The bin a point falls in, or -1 when outside the window.</summary>
    public int BinOf(DateTime timeUtc)
    {
        if (timeUtc < StartUtc || timeUtc >= EndUtc)
        {
            return -1;
        }
        return (int)((timeUtc - StartUtc).Ticks / Bin.Ticks);
    }

    public DateTime BinStart(int index) => StartUtc + Bin * index;
}
