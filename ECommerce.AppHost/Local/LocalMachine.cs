using System.Reflection;

namespace ECommerce.AppHost.Local;

/// <summary>
/// What the app model needs from this machine before it is built: the command line, the servers from the OS
/// packages, the generated passwords, and a port for every resource (fixed, or free ones with --random-ports).
/// </summary>
public sealed record LocalMachine(AppHostOptions Options, Prerequisites Prerequisites, Secrets Secrets, IReadOnlyDictionary<string, int> Ports)
{
    /// <summary>The services --replicas applies to: stateless APIs whose callers may reach any replica.</summary>
    public static readonly IReadOnlySet<string> ReplicatedServices = new HashSet<string> { "catalog-api", "ordering-api", "forecast-worker", "assistant-api" };

    /// <summary>The resources of the app model, by the names tools and tests use.</summary>
    public IEnumerable<string> Resources => FixedPorts.Keys.Where(name => !name.StartsWith("dashboard", StringComparison.Ordinal));

    /// <summary>The ports used without --random-ports; tools and READMEs rely on them.</summary>
    public static readonly IReadOnlyDictionary<string, int> FixedPorts = new Dictionary<string, int>
    {
        ["storefront"] = 5100,
        ["catalog-api"] = 5101,
        ["ordering-api"] = 5102,
        ["forecast-worker"] = 5103,
        ["assistant-api"] = 5104,
        ["postgres"] = 15432,
        ["redis"] = 16379,
        ["dashboard"] = 18888,
        ["dashboard-otlp"] = 18890,
    };

    public int Port(string resource) => Ports[resource];

    /// <summary>How many replicas of the resource run: --replicas for <see cref="ReplicatedServices"/>, else one.</summary>
    public int Replicas(string resource) => ReplicatedServices.Contains(resource) ? Options.Replicas : 1;

    /// <summary>
    /// Each replica's own port, when a service runs as several (its <see cref="Port"/> is then the shared address
    /// DCP's proxy listens on). Fixed: the service's port + 100 x (replica index + 1), e.g. catalog-api's replicas
    /// on 5201 and 5301; with --random-ports, free ones.
    /// </summary>
    public IReadOnlyList<int> ReplicaPorts(string resource) =>
        Replicas(resource) == 1 ? [] : [.. Enumerable.Range(0, Replicas(resource)).Select(i => Port(ReplicaPortName(resource, i)))];

    private static string ReplicaPortName(string resource, int index) => $"{resource}#{index}";

    /// <summary>Every port the run needs: the resources', the dashboard's, and each replica's own.</summary>
    private static IEnumerable<KeyValuePair<string, int>> PortsFor(AppHostOptions options) =>
        FixedPorts.Concat(options.Replicas == 1 ? [] : ReplicatedServices.SelectMany(service =>
            Enumerable.Range(0, options.Replicas).Select(i => KeyValuePair.Create(ReplicaPortName(service, i), FixedPorts[service] + 100 * (i + 1)))));

    public string DashboardUrl => $"http://127.0.0.1:{Port("dashboard")}";

    public Credentials LoadOrCreateCredentials(string name, string email) => Credentials.LoadOrCreate(Options.DataDir, name, email);

    public static LocalMachine Prepare(string[] args)
    {
        var options = AppHostOptions.Parse(args, DefaultDataDir());
        if (options.ShowHelp)
        {
            throw new AppHostException("The ECommerce AppHost starts PostgreSQL, Redis and every service.", AppHostOptions.Usage, exitCode: 0);
        }
        var prerequisites = Prerequisites.Find();
        Directory.CreateDirectory(options.DataDir);
        var secrets = Secrets.LoadOrCreate(options.DataDir);

        Dictionary<string, int> ports;
        if (options.RandomPorts)
        {
            var names = PortsFor(options).Select(p => p.Key).ToList();
            ports = names.Zip(Local.Ports.Free(names.Count)).ToDictionary(p => p.First, p => p.Second);
        }
        else
        {
            ports = new Dictionary<string, int>(PortsFor(options));
            var taken = ports.Where(p => !Local.Ports.IsFree(p.Value) && !(options.NoDashboard && p.Key.StartsWith("dashboard", StringComparison.Ordinal))).ToList();
            if (taken.Count > 0)
            {
                throw new AppHostException(
                    $"Port{(taken.Count > 1 ? "s" : "")} in use: {string.Join(", ", taken.Select(p => $"{p.Value} ({p.Key})"))}.",
                    "Stop the program that uses it (an earlier ./run.sh?), or start with --random-ports.");
            }
        }
        return new LocalMachine(options, prerequisites, secrets, ports);
    }

    /// <summary>.data at the top of the repository (the AppHost project's parent folder), else beside the binary.</summary>
    private static string DefaultDataDir()
    {
        var projectDir = typeof(LocalMachine).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostProjectDirectory")?.Value;
        return projectDir is not null && Directory.Exists(projectDir)
            ? Path.Combine(Path.GetDirectoryName(projectDir)!, ".data")
            : Path.Combine(AppContext.BaseDirectory, ".data");
    }
}
