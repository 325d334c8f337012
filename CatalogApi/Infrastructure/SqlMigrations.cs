using ECommerce.ServiceDefaults.Data;

namespace CatalogApi.Infrastructure;

/// <summary>
/// catalogdb's hand-written schema: the SQL files of Infrastructure/Migrations (embedded, applied in name order by
/// ServiceDefaults' <see cref="SqlMigrator"/>), recorded in <c>schema_migrations</c> together with the catalog seed.
/// </summary>
internal static class SqlMigrations
{
    public static IReadOnlyList<SqlMigration> All { get; } = SqlMigrator.LoadEmbedded(typeof(SqlMigrations).Assembly, "CatalogMigrations/");

    public static MigrationHistoryTable History { get; } = new("schema_migrations");

    public static SqlMigrator CreateMigrator(ILogger logger) => new("catalogdb", All, History, CatalogTelemetry.Source, logger);
}
