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
    /// <summary>
    /// Prepares statements a service runs again and again (reservations, checkouts, reads) on each connection after
    /// their second use, so PostgreSQL parses and plans them once, not per call; and does not reset a connection going
    /// back to the pool (the reset is seven statements run before every next use). No service keeps session state on a
    /// pooled connection: settings are transaction-local, advisory locks are transaction-scoped or unlocked in a
    /// finally, no temp tables or LISTEN. A connection string that names one of these settings keeps its own value.
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
