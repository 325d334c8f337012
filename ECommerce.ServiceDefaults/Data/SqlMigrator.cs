using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECommerce.ServiceDefaults.Data;

/// <summary>One script of a service's hand-written schema; <see cref="Id"/> is the file name without ".sql".</summary>
public sealed record SqlMigration(string Id, string Sql)
{
    /// <summary>The SHA-256 of the script (line endings normalised), recorded when it is applied.</summary>
    public string Checksum => SqlMigrator.Checksum(Sql);
}

/// <summary>
/// The table where a database records what has been applied. Each service keeps the names it started with
/// (<c>schema_migrations</c> in catalogdb, <c>"__SchemaMigrations"</c> in orderingdb); names are quoted as given.
/// </summary>
public sealed record MigrationHistoryTable(string Table, string IdColumn = "id", string ChecksumColumn = "checksum", string AppliedAtColumn = "applied_at");

/// <summary>
/// Applies a service's SQL scripts (embedded in its assembly, applied in name order) each once, each in its own
/// transaction together with its row in the history table. A script changed after it was applied is reported, not
/// re-run: schema changes are new scripts. The caller holds the service's migration lock (see <see cref="DatabaseStartup"/>).
/// </summary>
public sealed partial class SqlMigrator(
    string database,
    IReadOnlyList<SqlMigration> migrations,
    MigrationHistoryTable history,
    ActivitySource activitySource,
    ILogger logger)
{
    /// <summary>The scripts, in the order they are applied.</summary>
    public IReadOnlyList<SqlMigration> Migrations => migrations;

    /// <summary>The <c>.sql</c> resources of <paramref name="assembly"/> whose logical names start with <paramref name="resourcePrefix"/>.</summary>
    public static IReadOnlyList<SqlMigration> LoadEmbedded(Assembly assembly, string resourcePrefix) =>
        [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(resourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return new SqlMigration(Path.GetFileNameWithoutExtension(name[resourcePrefix.Length..]), reader.ReadToEnd());
            })];

    /// <summary>The lower-case hex SHA-256 of <paramref name="text"/> with its line endings normalised.</summary>
    public static string Checksum(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"))));

    /// <summary>Applies the scripts not yet recorded; returns how many it applied.</summary>
    public async Task<int> ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        var count = 0;
        foreach (var migration in migrations)
        {
            var checksum = migration.Checksum;
            if (applied.TryGetValue(migration.Id, out var appliedChecksum))
            {
                if (appliedChecksum != checksum)
                {
                    LogChanged(logger, database, migration.Id);
                }
                continue;
            }

            using var activity = activitySource.StartActivity($"{database} migration {migration.Id}");
            var started = Stopwatch.GetTimestamp();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var migrate = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await migrate.ExecuteNonQueryAsync(cancellationToken);
            }
            await RecordAsync(connection, transaction, migration.Id, checksum, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, database, migration.Id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            count++;
        }
        return count;
    }

    /// <summary>What the history table holds (creating it first): id -> checksum. Seeds record themselves there too.</summary>
    public async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS "{history.Table}" (
                "{history.IdColumn}" text PRIMARY KEY,
                "{history.ChecksumColumn}" text NOT NULL,
                "{history.AppliedAtColumn}" timestamptz NOT NULL DEFAULT now()
            )
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var read = new NpgsqlCommand($"""SELECT "{history.IdColumn}", "{history.ChecksumColumn}" FROM "{history.Table}" """, connection);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return applied;
    }

    /// <summary>Records <paramref name="id"/> as applied, inside the caller's transaction.</summary>
    public async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, string checksum, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlCommand(
            $"""INSERT INTO "{history.Table}" ("{history.IdColumn}", "{history.ChecksumColumn}") VALUES ($1, $2)""", connection, transaction);
        record.Parameters.Add(new NpgsqlParameter { Value = id });
        record.Parameters.Add(new NpgsqlParameter { Value = checksum });
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "{Database}: applied migration {MigrationId} in {ElapsedMs:0} ms")]
    private static partial void LogApplied(ILogger logger, string database, string migrationId, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "{Database}: migration {MigrationId} was changed after it was applied; the change is not applied (write a new migration)")]
    private static partial void LogChanged(ILogger logger, string database, string migrationId);
}
