using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace CatalogApi.Infrastructure;

/// <summary>
/// The hand-written schema: the SQL files of Infrastructure/Migrations, embedded in the assembly and applied in
/// name order, each once, each in its own transaction together with its row in <c>schema_migrations</c>.
/// The caller holds the migration lock (see <see cref="CatalogDatabaseInitializer"/>).
/// </summary>
internal static partial class SqlMigrations
{
    private const string ResourcePrefix = "CatalogMigrations/";

    public static IReadOnlyList<(string Id, string Sql)> All { get; } = Load();

    public static async Task EnsureHistoryTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT id, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return applied;
    }

    /// <summary>Applies the scripts not yet recorded; returns how many it applied.</summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        await EnsureHistoryTableAsync(connection, cancellationToken);
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        var count = 0;
        foreach (var (id, sql) in All)
        {
            var checksum = Checksum(sql);
            if (applied.TryGetValue(id, out var appliedChecksum))
            {
                if (appliedChecksum != checksum)
                {
                    LogChanged(logger, id);
                }
                continue;
            }

            using var activity = CatalogTelemetry.Source.StartActivity($"catalogdb migration {id}");
            var started = Stopwatch.GetTimestamp();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var migrate = new NpgsqlCommand(sql, connection, transaction))
            {
                await migrate.ExecuteNonQueryAsync(cancellationToken);
            }
            await RecordAsync(connection, transaction, id, checksum, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            count++;
        }
        return count;
    }

    public static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, string checksum, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", connection, transaction);
        record.Parameters.Add(new NpgsqlParameter { Value = id });
        record.Parameters.Add(new NpgsqlParameter { Value = checksum });
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string Checksum(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"))));

    private static List<(string Id, string Sql)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return (Path.GetFileNameWithoutExtension(name[ResourcePrefix.Length..]), reader.ReadToEnd());
            })];
    }

    [LoggerMessage(LogLevel.Information, "Applied catalog migration {MigrationId} in {ElapsedMs:0} ms")]
    private static partial void LogApplied(ILogger logger, string migrationId, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "Catalog migration {MigrationId} was changed after it was applied; the change is not applied (write a new migration)")]
    private static partial void LogChanged(ILogger logger, string migrationId);
}
