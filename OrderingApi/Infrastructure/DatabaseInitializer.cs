using System.Diagnostics;
using ECommerce.ServiceDefaults.Data;
using Npgsql;

namespace OrderingApi.Infrastructure;

/// <summary>
/// Brings orderingdb up to date before the service takes requests: applies the SQL migrations, then seeds roles and
/// the first admin, under a PostgreSQL advisory lock (<see cref="DatabaseStartup"/>), so two instances starting
/// together do it once, in turn. Traced as one span with a child per migration applied.
/// </summary>
internal sealed partial class DatabaseInitializer(
    [FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    TimeProvider timeProvider,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    private const long MigrationLockKey = 0x4F52_444E_0001; // "ORDN" 1

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = OrderingTelemetry.Source.StartActivity("orderingdb migrate and seed");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var applied = await DatabaseStartup.RunExclusiveAsync(dataSource, "orderingdb", MigrationLockKey, MigrateAndSeedAsync, logger, cancellationToken);
            activity?.SetTag("ordering.migrations.applied", applied);
            LogReady(applied, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<int> MigrateAndSeedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = await SqlMigrations.CreateMigrator(logger).ApplyAsync(connection, cancellationToken);
        await using var scope = scopeFactory.CreateAsyncScope();
        using (OrderingTelemetry.Source.StartActivity("seed roles and first admin"))
        {
            await IdentitySeed.SeedAsync(scope.ServiceProvider, timeProvider, logger);
        }
        return applied;
    }

    [LoggerMessage(LogLevel.Information, "orderingdb ready: {Applied} migration(s) applied, seed checked, in {ElapsedMs:0} ms")]
    private partial void LogReady(int applied, double elapsedMs);
}
