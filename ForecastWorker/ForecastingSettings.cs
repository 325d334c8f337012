using System.ComponentModel.DataAnnotations;

namespace ForecastWorker;

/// <summary>The worker's settings (section <c>Forecasting</c>): when it runs, how much it pulls and fits, and the reorder policy.</summary>
public sealed class ForecastingSettings
{
    public const string SectionName = "Forecasting";

    public ScheduleSettings Schedule { get; set; } = new();

    /// <summary>Days forecast per run (and the longest horizon the API serves).</summary>
    [Range(7, 365)]
    public int Horizon { get; set; } = 90;

    /// <summary>How many days of sales the first pull fetches, and the longest history a forecast is fitted on.</summary>
    [Range(28, 1100)]
    public int HistoryDays { get; set; } = 730;

    /// <summary>
    /// Days before the last pulled day that every pull fetches again, so that orders cancelled after they were pulled
    /// stop counting as sales.
    /// </summary>
    [Range(0, 90)]
    public int RepullDays { get; set; } = 7;

    /// <summary>Longest range of days asked for in one sales request.</summary>
    [Range(1, 1100)]
    public int PullChunkDays { get; set; } = 366;

    /// <summary>Series fitted at once; 0 means one per processor core. Fitting runs on its own threads, never the request threads.</summary>
    [Range(0, 64)]
    public int MaxParallelism { get; set; }

    /// <summary>Variants fitted and written together; a run interrupted by a restart keeps every batch it wrote.</summary>
    [Range(10, 5000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How many complete runs are kept (older ones and their forecasts are deleted).</summary>
    [Range(1, 100)]
    public int KeepRuns { get; set; } = 3;

    /// <summary>A run interrupted this many times is given up (marked failed) instead of resumed again.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    public ReorderSettings Reorder { get; set; } = new();

    public GlobalModelSettings GlobalModel { get; set; } = new();

    /// <summary>The parallelism actually used.</summary>
    public int EffectiveParallelism => MaxParallelism > 0 ? MaxParallelism : Environment.ProcessorCount;
}

public sealed class ScheduleSettings
{
    /// <summary>Time between scheduled runs (counted from the start of the previous run).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Run at start when the latest run is older than <see cref="Interval"/> (or there is none).</summary>
    public bool RunOnStart { get; set; } = true;

    /// <summary>How often the worker looks for runs asked for on any instance and for a scheduled run that is due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>The reorder policy behind the suggestions and the restock estimates.</summary>
public sealed class ReorderSettings
{
    /// <summary>Probability of not running out during a lead time (sets the safety stock).</summary>
    [Range(0.5, 0.999)]
    public double ServiceLevel { get; set; } = 0.95;

    /// <summary>Days between reviews of the suggestions: an order covers the lead time plus this.</summary>
    [Range(0, 90)]
    public int ReviewPeriodDays { get; set; } = 14;
}

/// <summary>The global model (one LightGBM model over every variant) that joins each variant's model choice.</summary>
public sealed class GlobalModelSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// LightGBM's threads per training. One by default: more make OpenMP busy-wait and fight the other services on a
    /// small machine (unless the process runs with OMP_WAIT_POLICY=PASSIVE).
    /// </summary>
    [Range(1, 64)]
    public int Threads { get; set; } = 1;

    /// <summary>Training examples drawn over all variants per training.</summary>
    [Range(1_000, 5_000_000)]
    public int MaxTrainingRows { get; set; } = Forecasting.Global.GlobalModelOptions.Default.MaxTrainingRows;

    public Forecasting.Global.GlobalModelOptions ToOptions() =>
        Forecasting.Global.GlobalModelOptions.Default with { Threads = Threads, MaxTrainingRows = MaxTrainingRows };
}
