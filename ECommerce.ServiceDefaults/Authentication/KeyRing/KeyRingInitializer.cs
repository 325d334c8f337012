using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECommerce.ServiceDefaults.Authentication.KeyRing;

/// <summary>
/// Loads the shared key ring before the service takes requests, holding a PostgreSQL advisory lock.
/// Why: with an empty ring, every process that first needs a key makes one, and a process keeps its loaded ring
/// for up to a day (it only re-reads the store for an unknown key during its first minutes). Four services starting
/// together would each pick a different key and refuse each other's tokens. Under the lock the first process
/// creates the key and the others find it.
/// </summary>
internal sealed partial class KeyRingInitializer(
    NpgsqlDataSource dataSource,
    PostgresXmlRepository repository,
    IDataProtectionProvider dataProtection,
    ILogger<KeyRingInitializer> logger) : IHostedService
{
    private const long InitializationLockKey = 0x4543_4B52_0002; // "ECKR" 2
    private static readonly ActivitySource Source = new(SharedKeyRing.ActivitySourceName);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("key ring load");
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LoadUnderLockAsync(cancellationToken);
                LogLoaded(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && Stopwatch.GetElapsedTime(started) < GiveUpAfter)
            {
                LogRetrying(attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)), cancellationToken);
            }
            catch (Exception e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                throw;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadUnderLockAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({InitializationLockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            repository.EnsureSchema();
            // Protecting needs the default key: the ring is read from the store, and a key is made only if there is none.
            dataProtection.CreateProtector("ECommerce.KeyRing.Load").Protect([1]);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({InitializationLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(LogLevel.Information, "Data-protection key ring loaded in {ElapsedMs:0} ms")]
    private partial void LogLoaded(double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "Data-protection key ring: PostgreSQL not reachable (attempt {Attempt}); retrying")]
    private partial void LogRetrying(int attempt, Exception exception);
}
