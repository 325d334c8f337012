using System.Diagnostics;
using Npgsql;

namespace OrderingApi.Infrastructure;

/// <summary>
/// Brings orderingdb up to date before the service takes requests: applies the SQL migrations, then seeds roles and
/// the first admin, holding a PostgreSQL advisory lock, so two instances starting together do it once, in turn.
/// Traced as one span with a child per migration applied.
/// </summary>
internal sealed partial class DatabaseInitializer(
    [FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    TimeProvider timeProvider,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    private const long MigrationLockKey = 0x4F52_444E_0001; // "ORDN" 1
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = OrderingTelemetry.Source.StartActivity("orderingdb migrate and seed");
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = await MigrateAndSeedAsync(cancellationToken);
                activity?.SetTag("ordering.migrations.applied", applied);
                LogReady(applied, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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

    private async Task<int> MigrateAndSeedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var applied = await SqlMigrations.ApplyAsync(connection, logger, cancellationToken);
            await using var scope = scopeFactory.CreateAsyncScope();
            using (OrderingTelemetry.Source.StartActivity("seed roles and first admin"))
            {
                await IdentitySeed.SeedAsync(scope.ServiceProvider, timeProvider, logger);
            }
            return applied;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(LogLevel.Information, "orderingdb ready: {Applied} migration(s) applied, seed checked, in {ElapsedMs:0} ms")]
    private partial void LogReady(int applied, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "orderingdb not reachable (attempt {Attempt}); retrying")]
    private partial void LogRetrying(int attempt, Exception exception);
}
