using System.Data;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECommerce.ServiceDefaults.Data;

/// <summary>
/// How a service brings its database up to date before it takes requests: the work (migrations, seeds) runs on one
/// connection holding a PostgreSQL advisory lock, so instances starting together do it once, one after the other;
/// while the server is not reachable yet (it may be starting too) it is retried for up to a minute.
/// </summary>
public static partial class DatabaseStartup
{
    private static readonly TimeSpan DefaultGiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="work"/> holding the advisory lock <paramref name="lockKey"/>, retrying while the server is unreachable.</summary>
    /// <param name="dataSource">The service's data source.</param>
    /// <param name="database">The database's name, for logs.</param>
    /// <param name="lockKey">The advisory lock key, one per database (e.g. "CATA" 1 as hex).</param>
    /// <param name="work">Migrations and seeds, on the connection that holds the lock.</param>
    /// <param name="logger">Where retries are logged.</param>
    /// <param name="cancellationToken">Stops waiting and retrying.</param>
    /// <param name="giveUpAfter">How long to retry an unreachable server; a minute by default.</param>
    /// <param name="retryOn">Which failures are retried; by default PostgreSQL's transient ones.</param>
    public static async Task<T> RunExclusiveAsync<T>(
        NpgsqlDataSource dataSource,
        string database,
        long lockKey,
        Func<NpgsqlConnection, CancellationToken, Task<T>> work,
        ILogger logger,
        CancellationToken cancellationToken,
        TimeSpan? giveUpAfter = null,
        Func<Exception, bool>? retryOn = null)
    {
        retryOn ??= e => e is NpgsqlException { IsTransient: true };
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunLockedAsync(dataSource, lockKey, work, cancellationToken);
            }
            catch (Exception e) when (retryOn(e) && Stopwatch.GetElapsedTime(started) < (giveUpAfter ?? DefaultGiveUpAfter))
            {
                LogRetrying(logger, database, attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)), cancellationToken);
            }
        }
    }

    private static async Task<T> RunLockedAsync<T>(
        NpgsqlDataSource dataSource, long lockKey, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({lockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            return await work(connection, cancellationToken);
        }
        finally
        {
            // A broken connection has released the lock already; closing it below does too.
            if (connection.FullState == ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({lockKey})", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Database} not reachable (attempt {Attempt}); retrying")]
    private static partial void LogRetrying(ILogger logger, string database, int attempt, Exception exception);
}
