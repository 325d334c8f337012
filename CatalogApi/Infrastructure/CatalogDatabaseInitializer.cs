using System.Diagnostics;
using CatalogApi.Infrastructure.Seed;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CatalogApi.Infrastructure;

/// <summary>
/// Brings catalogdb up to date before the service takes requests: applies the SQL migrations, then seeds the sample
/// catalog into an empty database. Both happen under a PostgreSQL advisory lock, so instances starting together do
/// the work once, one after the other. Traced as one span with a child per migration and one for the seed.
/// </summary>
internal sealed partial class CatalogDatabaseInitializer(
    NpgsqlDataSource dataSource,
    IOptions<CatalogOptions> options,
    ILogger<CatalogDatabaseInitializer> logger) : IHostedService
{
    private const long MigrationLockKey = 0x4341_5441_0001; // "CATA" 1
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = CatalogTelemetry.Source.StartActivity("catalogdb migrate and seed");
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (applied, seeded) = await MigrateAndSeedAsync(cancellationToken);
                activity?.SetTag("catalog.migrations.applied", applied);
                activity?.SetTag("catalog.seeded", seeded);
                LogReady(applied, seeded, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && Stopwatch.GetElapsedTime(started) < GiveUpAfter)
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

    private async Task<(int Applied, bool Seeded)> MigrateAndSeedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var applied = await SqlMigrations.ApplyAsync(connection, logger, cancellationToken);
            var seeded = options.Value.SeedSampleCatalog && await CatalogSeeder.SeedAsync(connection, logger, cancellationToken);
            return (applied, seeded);
        }
        finally
        {
            // A broken connection has released the lock already; closing it below does too.
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "catalogdb ready: {Applied} migrations applied, seeded: {Seeded}, in {ElapsedMs:0} ms")]
    private partial void LogReady(int applied, bool seeded, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "catalogdb not reachable (attempt {Attempt}); retrying")]
    private partial void LogRetrying(int attempt, Exception exception);
}
