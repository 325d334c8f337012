using System.Text.Json;
using System.Text.Json.Serialization;
using ECommerce.AppHost.Dashboard;

namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>The state of one resource as tools and tests see it.</summary>
public sealed record ResourceSnapshot(
    string Name,
    ResourceState State,
    IReadOnlyList<string> Urls,
    int? Pid,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    int Restarts);

/// <summary>
/// The JSON file given with --state-file, rewritten whole (write then rename) on every change.
/// Readable by its owner only: it holds the dashboard's sign-in token.
/// </summary>
internal sealed class StateFile(string path, string dataDir)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
    private readonly Lock _lock = new();

    /// <summary>Written as "dashboard": {"url", "token", "loginUrl", "otlpEndpoint", "otlpApiKey"} once it runs.</summary>
    public DashboardInfo? Dashboard { get; set; }

    public void Write(IEnumerable<ResourceSnapshot> resources)
    {
        lock (_lock)
        {
            var dashboard = Dashboard is { } info ? new { info.Url, info.Token, info.LoginUrl, info.OtlpEndpoint, info.OtlpApiKey } : null;
            var json = JsonSerializer.Serialize(new { dataDir, pid = Environment.ProcessId, dashboard, resources }, Json);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp";
            File.WriteAllText(temp, json);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            File.Move(temp, path, overwrite: true);
        }
    }
}
