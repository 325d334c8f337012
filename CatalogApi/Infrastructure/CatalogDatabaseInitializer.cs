using System.Diagnostics;
using CatalogApi.Infrastructure.Seed;
using ECommerce.ServiceDefaults.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CatalogApi.Infrastructure;

/// <summary>
/// Brings catalogdb up to date before the service takes requests: applies the SQL migrations, then seeds the sample
/// catalog into an empty database. Both happen under a PostgreSQL advisory lock, so instances starting together do
/// the work once, one after the other (<see cref="DatabaseStartup"/>). Traced as one span with a child per migration and one for the seed.
/// </summary>
internal sealed partial class CatalogDatabaseInitializer(
    NpgsqlDataSource dataSource,
    IOptions<CatalogOptions> options,
    ILogger<CatalogDatabaseInitializer> logger) : IHostedService
{
    private const long MigrationLockKey = 0x4341_5441_0001; // "CATA" 1

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = CatalogTelemetry.Source.StartActivity("catalogdb migrate and seed");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (applied, seeded) = await DatabaseStartup.RunExclusiveAsync(dataSource, "catalogdb", MigrationLockKey, MigrateAndSeedAsync, logger, cancellationToken);
            activity?.SetTag("catalog.migrations.applied", applied);
            activity?.SetTag("catalog.seeded", seeded);
            LogReady(applied, seeded, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<(int Applied, bool Seeded)> MigrateAndSeedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var migrator = SqlMigrations.CreateMigrator(logger);
        var applied = await migrator.ApplyAsync(connection, cancellationToken);
        var seeded = options.Value.SeedSampleCatalog && await CatalogSeeder.SeedAsync(connection, migrator, options.Value.SeedProducts, logger, cancellationToken);
        return (applied, seeded);
    }

    [LoggerMessage(LogLevel.Information, "catalogdb ready: {Applied} migrations applied, seeded: {Seeded}, in {ElapsedMs:0} ms")]
    private partial void LogReady(int applied, bool seeded, double elapsedMs);

}
