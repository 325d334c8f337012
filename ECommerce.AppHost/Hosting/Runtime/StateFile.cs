using System.Text.Json;
using System.Text.Json.Serialization;

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

/// <summary>The JSON file given with --state-file, rewritten whole (write then rename) on every change.</summary>
internal sealed class StateFile(string path, string dataDir)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
    private readonly Lock _lock = new();

    public void Write(IEnumerable<ResourceSnapshot> resources)
    {
        lock (_lock)
        {
            var json = JsonSerializer.Serialize(new { dataDir, pid = Environment.ProcessId, resources }, Json);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp";
            File.WriteAllText(temp, json);
            File.Move(temp, path, overwrite: true);
        }
    }
}
