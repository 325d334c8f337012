using System.Diagnostics;
using ECommerce.ServiceDefaults.Data;
using Npgsql;

namespace ForecastWorker.Infrastructure;

/// <summary>
/// Brings forecastdb up to date before the service takes requests: the SQL files of Infrastructure/Migrations, applied
/// in name order by ServiceDefaults' <see cref="SqlMigrator"/> under an advisory lock (<see cref="DatabaseStartup"/>),
/// so instances starting together do it once.
/// </summary>
internal sealed partial class ForecastDatabaseInitializer(NpgsqlDataSource dataSource, ILogger<ForecastDatabaseInitializer> logger) : IHostedService
{
    private const long MigrationLockKey = 0x464F_5245_0001; // "FORE" 1

    public static IReadOnlyList<SqlMigration> Migrations { get; } = SqlMigrator.LoadEmbedded(typeof(ForecastDatabaseInitializer).Assembly, "ForecastMigrations/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = ForecastTelemetry.Source.StartActivity("forecastdb migrate");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var migrator = new SqlMigrator("forecastdb", Migrations, new MigrationHistoryTable("schema_migrations"), ForecastTelemetry.Source, logger);
            var applied = await DatabaseStartup.RunExclusiveAsync(dataSource, "forecastdb", MigrationLockKey, migrator.ApplyAsync, logger, cancellationToken);
            activity?.SetTag("forecast.migrations.applied", applied);
            LogReady(applied, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "forecastdb ready: {Applied} migrations applied in {ElapsedMs:0} ms")]
    private partial void LogReady(int applied, double elapsedMs);
}
