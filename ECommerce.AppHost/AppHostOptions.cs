namespace ECommerce.AppHost;

/// <summary>The AppHost's command line. Tools and tests rely on these option names.</summary>
public sealed record AppHostOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project ECommerce.AppHost -- [options]
          --data-dir DIR      where PostgreSQL and Redis keep their data (default: .data in the repository)
          --random-ports      run every resource (and the dashboard) on a free port instead of the fixed ones
          --state-file FILE   keep a JSON file with every resource's state and URLs up to date
          --ephemeral         throw-away data: no fsync, the data dir is deleted at stop
          --quiet             do not echo the resources' log lines (they are still kept under DIR/logs)
          --no-dashboard      no Aspire dashboard (the services then export no telemetry)
          --environment NAME  ASPNETCORE_ENVIRONMENT for the services (default: Production)
          --replicas N        run catalog-api, ordering-api, forecast-worker and assistant-api as N replicas each (1-9, default 1)
          --help              show this text
        """;

    public string DataDir { get; init; } = "";

    public bool RandomPorts { get; init; }

    public string? StateFile { get; init; }

    public bool Ephemeral { get; init; }

    public bool Quiet { get; init; }

    public bool NoDashboard { get; init; }

    public string Environment { get; init; } = "Production";

    /// <summary>Replicas of each API (catalog-api, ordering-api, forecast-worker, assistant-api); the storefront runs once.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The most replicas a service may have (each replica's own port is the service's port + 100 x its number).</summary>
    public const int MaxReplicas = 9;

    public bool ShowHelp { get; init; }

    /// <summary>Arguments that are not ours, given on to Aspire's builder (e.g. <c>--Key=value</c> configuration).</summary>
    public IReadOnlyList<string> Rest { get; init; } = [];

    public static AppHostOptions Parse(IReadOnlyList<string> args, string defaultDataDir)
    {
        var options = new AppHostOptions { DataDir = defaultDataDir };
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new AppHostException($"The option {args[i]} needs a value.", Usage, exitCode: 2);

            switch (args[i])
            {
                case "--data-dir": options = options with { DataDir = Value() }; break;
                case "--random-ports": options = options with { RandomPorts = true }; break;
                case "--state-file": options = options with { StateFile = Value() }; break;
                case "--ephemeral": options = options with { Ephemeral = true }; break;
                case "--quiet": options = options with { Quiet = true }; break;
                case "--no-dashboard": options = options with { NoDashboard = true }; break;
                case "--environment": options = options with { Environment = Value() }; break;
                case "--replicas": options = options with { Replicas = ParseReplicas(Value()) }; break;
                case "--help" or "-h": options = options with { ShowHelp = true }; break;
                // Configuration for Aspire itself, in the form it reads (--Key=value).
                case var other when other.StartsWith("--", StringComparison.Ordinal) && other.Contains('='): rest.Add(other); break;
                case var unknown: throw new AppHostException($"Unknown option '{unknown}'.", Usage, exitCode: 2);
            }
        }
        return options with
        {
            DataDir = Path.GetFullPath(options.DataDir),
            StateFile = options.StateFile is null ? null : Path.GetFullPath(options.StateFile),
            Rest = rest,
        };
    }

    private static int ParseReplicas(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var replicas) && replicas is >= 1 and <= MaxReplicas
            ? replicas
            : throw new AppHostException($"--replicas takes a whole number from 1 to {MaxReplicas}, not '{value}'.", Usage, exitCode: 2);
}

/// <summary>A failure the user can fix: says what went wrong and how to fix it, without a stack trace.</summary>
public sealed class AppHostException(string message, string? fix = null, int exitCode = 1) : Exception(message)
{
    public string? Fix { get; } = fix;

    /// <summary>1 for a machine that cannot run the app as asked, 2 for a command line it does not understand, 0 for --help.</summary>
    public int ExitCode { get; } = exitCode;

    public override string ToString() => Fix is null ? Message : $"{Message}{System.Environment.NewLine}{Fix}";
}
