namespace ECommerce.AppHost.Hosting;

/// <summary>The AppHost's command line. Tools and tests rely on these option names.</summary>
public sealed record AppHostOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project ECommerce.AppHost -- [options]
          --data-dir DIR      where PostgreSQL and Redis keep their data (default: .data in the repository)
          --random-ports      run every resource on a free port instead of the fixed ones
          --state-file FILE   keep a JSON file with every resource's state and URLs up to date
          --ephemeral         throw-away data: faster durability settings, the data dir is deleted at stop
          --quiet             do not echo the resources' log lines (they are still kept under DIR/logs)
          --no-dashboard      no dashboard and no OTLP receiver (the services then export no telemetry)
          --environment NAME  ASPNETCORE_ENVIRONMENT for the services (default: Development)
          --help              show this text
        """;

    public string DataDir { get; init; } = "";

    public bool RandomPorts { get; init; }

    public string? StateFile { get; init; }

    public bool Ephemeral { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Run without the dashboard and its OTLP receiver.</summary>
    public bool NoDashboard { get; init; }

    public string Environment { get; init; } = "Development";

    public bool ShowHelp { get; init; }

    public static AppHostOptions Parse(IReadOnlyList<string> args, string defaultDataDir)
    {
        var options = new AppHostOptions { DataDir = defaultDataDir };
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new AppHostException($"The option {args[i]} needs a value.", Usage);

            options = args[i] switch
            {
                "--data-dir" => options with { DataDir = Value() },
                "--random-ports" => options with { RandomPorts = true },
                "--state-file" => options with { StateFile = Value() },
                "--ephemeral" => options with { Ephemeral = true },
                "--quiet" => options with { Quiet = true },
                "--no-dashboard" => options with { NoDashboard = true },
                "--environment" => options with { Environment = Value() },
                "--help" or "-h" => options with { ShowHelp = true },
                var unknown => throw new AppHostException($"Unknown option '{unknown}'.", Usage),
            };
        }
        return options with
        {
            DataDir = Path.GetFullPath(options.DataDir),
            StateFile = options.StateFile is null ? null : Path.GetFullPath(options.StateFile),
        };
    }
}

/// <summary>A failure the user can fix: says what went wrong and how to fix it, without a stack trace.</summary>
public sealed class AppHostException(string message, string? fix = null) : Exception(message)
{
    public string? Fix { get; } = fix;

    public override string ToString() => Fix is null ? Message : $"{Message}{System.Environment.NewLine}{Fix}";
}
