using System.Diagnostics;
using CatalogApi.Infrastructure.Seed;
using CatalogApi.Services.Specs;
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
        await WriteSpecDefinitionsAsync(connection, cancellationToken);
        return (applied, seeded);
    }

    /// <summary>
    /// The spec sheets' definitions (Infrastructure/Seed/spec-definitions.json) into spec_definitions, on every start:
    /// a changed file takes effect at the next start; rows added by other means stay.
    /// </summary>
    private static async Task WriteSpecDefinitionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var all = SpecSheets.FromSeedFile;
        await using var command = new NpgsqlCommand("""
            INSERT INTO spec_definitions (category_slug, key, label, kind, unit, choices, min, max, decimals, sort, sort_label, position)
            SELECT d.category_slug, d.key, d.label, d.kind, d.unit,
                   CASE WHEN d.choices IS NULL THEN NULL ELSE string_to_array(d.choices, E'\u001f') END,
                   d.min, d.max, d.decimals, d.sort, d.sort_label, d.position
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::integer[], $10::text[], $11::text[], $12::integer[])
                AS d (category_slug, key, label, kind, unit, choices, min, max, decimals, sort, sort_label, position)
            ON CONFLICT (category_slug, key) DO UPDATE SET label = excluded.label, kind = excluded.kind, unit = excluded.unit,
                choices = excluded.choices, min = excluded.min, max = excluded.max, decimals = excluded.decimals,
                sort = excluded.sort, sort_label = excluded.sort_label, position = excluded.position
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Category).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Label).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Unit).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Choices is null ? null : string.Join('\u001f', d.Choices)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Min).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Max).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Decimals).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Sort).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.SortLabel).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all.Select(d => d.Position).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "catalogdb ready: {Applied} migrations applied, seeded: {Seeded}, in {ElapsedMs:0} ms")]
    private partial void LogReady(int applied, bool seeded, double elapsedMs);

}
