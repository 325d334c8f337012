using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;

namespace ECommerce.AppHost.Local;

/// <summary>
/// Every resource's console output in DATA_DIR/logs/NAME.log and, unless --quiet, on the AppHost's console
/// behind the resource's name (the dashboard's Console page shows the same lines).
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
        var copies = new List<Task>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (names.Contains(change.Resource.Name) && watched.Add(change.ResourceId))
                {
                    var name = change.Resource.Name;
                    copies.Add(Task.Run(() => CopyAsync(name, change.ResourceId, Path.Combine(dir, name + ".log"), stoppingToken), stoppingToken));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(copies);
    }

    private async Task CopyAsync(string resource, string resourceId, string path, CancellationToken stoppingToken)
    {
        await using var file = new StreamWriter(path, append: true) { AutoFlush = true };
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(stoppingToken))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                    if (!local.Options.Quiet)
                    {
                        lock (ConsoleLock)
                        {
                            Console.WriteLine($"{resource,-16}| {line.Content}");
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
