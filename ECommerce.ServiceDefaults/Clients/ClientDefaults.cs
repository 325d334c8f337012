using System.Data.Common;
using Npgsql;
using StackExchange.Redis;

namespace ECommerce.ServiceDefaults.Clients;

/// <summary>
/// Settings every service gives Aspire's client integrations, passed as their configure callbacks:
/// <c>builder.AddNpgsqlDataSource("catalogdb", configureDataSourceBuilder: ClientDefaults.ConfigureNpgsql)</c>,
/// <c>builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis)</c>.
/// (The health checks' time limit is set for every dependency check in <c>AddDefaultHealthChecks</c>.)
/// </summary>
public static class ClientDefaults
{
    /// <summary>Seconds to open a connection (and get PostgreSQL's first answer) before giving up.</summary>
    public const int ConnectTimeoutSeconds = 3;

    /// <summary>
    /// EF Core's retries on transient failures, bounded so that a database that is down fails a request within about two
    /// seconds (Aspire's default, 6 retries up to 30 s apart, held requests for about a minute). Pass to <c>UseNpgsql</c>
    /// and set <c>DisableRetry</c> in <c>EnrichNpgsqlDbContext</c>.
    /// </summary>
    public const int DbContextMaxRetries = 2;

    /// <inheritdoc cref="DbContextMaxRetries"/>
    public static readonly TimeSpan DbContextMaxRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Prepares statements a service runs again and again (reservations, checkouts, reads) on each connection after
    /// their second use, so PostgreSQL parses and plans them once, not per call; and does not reset a connection going
    /// back to the pool (the reset is seven statements run before every next use). No service keeps session state on a
    /// pooled connection: settings are transaction-local, advisory locks are transaction-scoped or unlocked in a
    /// finally, no temp tables or LISTEN. Opening a connection gives up after <see cref="ConnectTimeoutSeconds"/> (not 15 s):
    /// with PostgreSQL down or not answering, a request answers 503 quickly instead of hanging. A connection string that
    /// names one of these settings keeps its own value.
    /// </summary>
    public static void ConfigureNpgsql(NpgsqlDataSourceBuilder dataSource)
    {
        var named = NamedKeywords(dataSource.ConnectionString);
        if (!named.Contains("maxautoprepare"))
        {
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            if (!named.Contains("autoprepareminusages"))
            {
                dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }
        }
        if (!named.Contains("timeout"))
        {
            dataSource.ConnectionStringBuilder.Timeout = ConnectTimeoutSeconds;
        }
        if (!named.Contains("noresetonclose"))
        {
            dataSource.ConnectionStringBuilder.NoResetOnClose = true;
        }
    }

    /// <summary>
    /// A service starts while Redis is down and reconnects by itself (no abort when the first connect fails), and while
    /// it is disconnected a command fails at once instead of waiting in a backlog for the command timeout (5 s): the
    /// callers fall back (the catalog reads PostgreSQL, sign-ins report Redis unreachable) without stalling requests.
    /// </summary>
    public static void ConfigureRedis(ConfigurationOptions options)
    {
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
    }

    // NpgsqlConnectionStringBuilder.ContainsKey is true for every keyword it knows, so read the string's own keys,
    // spaces and case ignored ("Max Auto Prepare", "MaxAutoPrepare").
    private static HashSet<string> NamedKeywords(string? connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString ?? "" };
        return [.. given.Keys.Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())];
    }
}
