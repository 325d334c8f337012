using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;

namespace ECommerce.AppHost.Local;

/// <summary>
/// Every resource's console output in DATA_DIR/logs/NAME.log and, unless --quiet, on the AppHost's console
/// behind the resource's name (the dashboard's Console page shows the same lines). The replicas of a service share
/// its file, each line behind the replica's instance id (<c>catalog-api-x7k2...</c>).
/// </summary>
internal sealed class ResourceLogFiles(LocalMachine local, ResourceNotificationService notifications, ResourceLoggerService logs) : BackgroundService
{
    private static readonly Lock ConsoleLock = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dir = Path.Combine(local.Options.DataDir, "logs");
        Directory.CreateDirectory(dir);
        var names = local.Resources.ToHashSet();
        // Logs are kept per resource instance (its id); an instance is known once its first snapshot is out.
        var watched = new HashSet<string>();
        var files = new ConcurrentDictionary<string, StreamWriter>();
        var copies = new List<Task>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (names.Contains(change.Resource.Name) && watched.Add(change.ResourceId))
                {
                    var name = change.Resource.Name;
                    var file = files.GetOrAdd(name, _ => new StreamWriter(Path.Combine(dir, name + ".log"), append: true) { AutoFlush = true });
                    var label = change.Resource.GetReplicaCount() > 1 ? change.ResourceId : name;
                    copies.Add(Task.Run(() => CopyAsync(label, change.ResourceId, file, stoppingToken), stoppingToken));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(copies);
        foreach (var file in files.Values)
        {
            await file.DisposeAsync();
        }
    }

    private async Task CopyAsync(string label, string resourceId, StreamWriter file, CancellationToken stoppingToken)
    {
        var prefix = label == resourceId ? $"[{label}] " : "";
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(stoppingToken))
            {
                foreach (var line in batch)
                {
                    lock (file)
                    {
                        file.WriteLine(prefix + line.Content);
                    }
                    if (!local.Options.Quiet)
                    {
                        lock (ConsoleLock)
                        {
                            Console.WriteLine($"{label,-16}| {line.Content}");
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
