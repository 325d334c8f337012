using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace ServiceDefaults.Tests.Telemetry;

/// <summary>Keeps exported spans in memory (the InMemory exporter package is not available here).</summary>
internal sealed class InMemoryActivityExporter : BaseExporter<Activity>
{
    public ConcurrentQueue<Activity> Exported { get; } = new();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            Exported.Enqueue(activity);
        }

        return ExportResult.Success;
    }
}
