using System.Diagnostics;
using ECommerce.ServiceDefaults.Data;
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

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("key ring load");
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Any failure is retried for a while, not only PostgreSQL's own: data protection wraps what the store throws.
            await DatabaseStartup.RunExclusiveAsync(dataSource, "keyringdb (data-protection key ring)", InitializationLockKey, Load, logger,
                cancellationToken, retryOn: e => e is not OperationCanceledException);
            LogLoaded(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task<bool> Load(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        repository.EnsureSchema();
        // Protecting needs the default key: the ring is read from the store, and a key is made only if there is none.
        dataProtection.CreateProtector("ECommerce.KeyRing.Load").Protect([1]);
        return Task.FromResult(true);
    }

    [LoggerMessage(LogLevel.Information, "Data-protection key ring loaded in {ElapsedMs:0} ms")]
    private partial void LogLoaded(double elapsedMs);
}
