using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace OrderingApi.Infrastructure;

/// <summary>
/// The hand-written schema: the SQL files in Infrastructure/Migrations (embedded, applied in name order), each once,
/// each in its own transaction with its row in <c>__SchemaMigrations</c>. The caller holds the migration lock.
/// </summary>
internal static partial class SqlMigrations
{
    private const string ResourcePrefix = "Migrations/";

    public static IReadOnlyList<(string Id, string Sql)> All { get; } = Load();

    public static async Task<int> ApplyAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand("""
            CREATE TABLE IF NOT EXISTS "__SchemaMigrations" (
                "Id" text PRIMARY KEY,
                "Checksum" text NOT NULL,
                "AppliedAt" timestamptz NOT NULL DEFAULT now()
            )
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new Dictionary<string, string>();
        await using (var read = new NpgsqlCommand("""SELECT "Id", "Checksum" FROM "__SchemaMigrations" """, connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }

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

            using var activity = OrderingTelemetry.Source.StartActivity($"migration {id}");
            var started = Stopwatch.GetTimestamp();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var migrate = new NpgsqlCommand(sql, connection, transaction))
            {
                await migrate.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var record = new NpgsqlCommand("""INSERT INTO "__SchemaMigrations" ("Id", "Checksum") VALUES ($1, $2)""", connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = id });
                record.Parameters.Add(new NpgsqlParameter { Value = checksum });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            count++;
        }
        return count;
    }

    private static List<(string Id, string Sql)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return (Path.GetFileNameWithoutExtension(name[ResourcePrefix.Length..]), reader.ReadToEnd());
            })
            .ToList();
    }

    private static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    [LoggerMessage(LogLevel.Information, "Applied migration {MigrationId} in {ElapsedMs:0} ms")]
    private static partial void LogApplied(ILogger logger, string migrationId, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "Migration {MigrationId} was changed after it was applied; the change is not applied (write a new migration)")]
    private static partial void LogChanged(ILogger logger, string migrationId);
}
