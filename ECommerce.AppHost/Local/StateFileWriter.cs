using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ECommerce.AppHost.Local;

/// <summary>
/// One resource as tools and tests read it from the state file. A service with replicas has an entry per replica:
/// the same name, its own <see cref="Instance"/> id, and the replica's own URL after the shared one.
/// </summary>
public sealed record ResourceStatus(string Name, string State, IReadOnlyList<string> Urls, int? Pid, int? ExitCode)
{
    /// <summary>Aspire's id of this replica (<c>catalog-api-x7k2...</c>); null for a resource that runs once.</summary>
    public string? Instance { get; init; }

    /// <summary>Aspire's snapshot in the state file's terms: Starting, Running, Healthy, Unhealthy or Exited.</summary>
    public static ResourceStatus From(string name, CustomResourceSnapshot snapshot)
    {
        var state = snapshot.State?.Text switch
        {
            "Running" => snapshot.HealthStatus switch
            {
                HealthStatus.Healthy => "Healthy",
                HealthStatus.Unhealthy or HealthStatus.Degraded => "Unhealthy",
                _ => "Running",
            },
            "Exited" or "Finished" or "FailedToStart" or "Stopping" => "Exited",
            _ => "Starting",
        };
        var pid = snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int value => value,
            long value => (int)value,
            string text when int.TryParse(text, out var value) => value,
            _ => (int?)null,
        };
        var urls = snapshot.Urls.Where(u => !u.IsInternal).Select(u => u.Url);
        return new ResourceStatus(name, state, [.. urls.Concat(ReplicaUrl(snapshot) is { } own ? [own] : [])], pid, snapshot.ExitCode);
    }

    /// <summary>
    /// A replica's own address: the last of its ASPNETCORE_URLS when it has several (the first is where DCP's proxy
    /// forwards to; see LocalHosting.WithLocalReplicas); null for a resource that runs once.
    /// </summary>
    public static string? ReplicaUrl(CustomResourceSnapshot snapshot) =>
        snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == "ASPNETCORE_URLS")?.Value is { } urls && urls.Split(';') is { Length: > 1 } each
            ? each[^1]
            : null;
}

/// <summary>
/// The JSON file given with --state-file, rewritten whole on every change of a resource:
/// <c>{"dataDir","pid","dashboard":{"url","token","loginUrl"},"resources":[{"name","state","urls","pid","exitCode"}]}</c>
/// ("dashboard" once the dashboard runs),
/// states Starting, Running, Healthy, Unhealthy and Exited. Readable by its owner only: it holds the dashboard's token.
/// </summary>
internal sealed class StateFileWriter(LocalMachine local, ResourceNotificationService notifications) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // By instance id: a replica's (catalog-api-x7k2...) takes the place of its resource's name once it shows up.
        var resources = local.Resources.ToDictionary(name => name, name => new ResourceStatus(name, "Starting", [], null, null));
        Write(resources);
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                var name = change.Resource.Name;
                if (local.Resources.Contains(name))
                {
                    var replica = change.Resource.GetReplicaCount() > 1;
                    if (replica)
                    {
                        resources.Remove(name);
                    }
                    resources[replica ? change.ResourceId : name] = ResourceStatus.From(name, change.Snapshot) with { Instance = replica ? change.ResourceId : null };
                    Write(resources);
                }
                else if (change.Resource.Name == DashboardResource && FindLogin(change.Snapshot) is { } login && login != _dashboardLogin)
                {
                    _dashboardLogin = login;
                    Write(resources);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private const string DashboardResource = "aspire-dashboard";

    /// <summary>The dashboard's sign-in link, as the dashboard resource lists it once it runs (<c>http://...:PORT/login?t=TOKEN</c>).</summary>
    private Uri? _dashboardLogin;

    private static Uri? FindLogin(CustomResourceSnapshot snapshot) =>
        snapshot.Urls.Select(u => Uri.TryCreate(u.Url, UriKind.Absolute, out var url) ? url : null)
            .FirstOrDefault(url => url is { AbsolutePath: "/login" } && url.Query.StartsWith("?t=", StringComparison.Ordinal));

    private void Write(Dictionary<string, ResourceStatus> resources)
    {
        var dashboard = _dashboardLogin is { } login
            ? new { url = login.GetLeftPart(UriPartial.Authority), token = Uri.UnescapeDataString(login.Query[3..]), loginUrl = login.ToString() }
            : null;
        JsonFile.Write(local.Options.StateFile!, new
        {
            dataDir = local.Options.DataDir,
            pid = Environment.ProcessId,
            dashboard,
            resources = resources.Values,
        });
    }
}
