using ECommerce.ServiceDefaults.Data;

namespace OrderingApi.Infrastructure;

/// <summary>
/// orderingdb's hand-written schema: the SQL files in Infrastructure/Migrations (embedded, applied in name order by
/// ServiceDefaults' <see cref="SqlMigrator"/>), recorded in <c>"__SchemaMigrations"</c>.
/// </summary>
internal static class SqlMigrations
{
    public static IReadOnlyList<SqlMigration> All { get; } = SqlMigrator.LoadEmbedded(typeof(SqlMigrations).Assembly, "Migrations/");

    public static MigrationHistoryTable History { get; } = new("__SchemaMigrations", "Id", "Checksum", "AppliedAt");

    public static SqlMigrator CreateMigrator(ILogger logger) => new("orderingdb", All, History, OrderingTelemetry.Source, logger);
}
