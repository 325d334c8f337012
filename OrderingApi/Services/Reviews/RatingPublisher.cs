using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace OrderingApi.Services.Reviews;

/// <summary>
/// Tells catalog-api each product's rating summary (average stars and number of visible reviews), which its listings
/// show and sort by. After a review changes, the request that changed it publishes that product at once; what could not
/// be published (catalog-api down) stays in <c>rating_outbox</c> and is retried every <see cref="RetryInterval"/>. At
/// start, and after the demo history wrote its reviews, every summary is sent again in one call (a full rebuild: the
/// products not named have none). Each summary carries PostgreSQL's time of the read, so an older one that arrives late
/// never replaces a newer one in the catalog; an outbox row is removed only if no change came after the read.
/// </summary>
public sealed partial class RatingPublisher(
    [FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    ILogger<RatingPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _rebuild = true;

    /// <summary>Publishes the product's summary now; on failure it is left to the retry loop (the review is saved either way).</summary>
    public async Task PublishAsync(int productId, CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync([productId], replaceAll: false, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeferred(productId, e.Message);
            _wake.Release();
        }
    }

    /// <summary>Sends every summary again soon (after the demo history wrote its reviews).</summary>
    public void RequestRebuild()
    {
        _rebuild = true;
        _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_rebuild)
                {
                    _rebuild = false;
                    var count = await PublishAsync(null, replaceAll: true, stoppingToken);
                    LogRebuilt(count);
                }
                else
                {
                    await PublishAsync(null, replaceAll: false, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e.Message);
            }
            try
            {
                await _wake.WaitAsync(RetryInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads the summaries (of <paramref name="productIds"/>; of every reviewed product for a full rebuild; else of the
    /// outbox's products) in one snapshot with the outbox rows, sends them, and removes the outbox rows read.
    /// </summary>
    private async Task<int> PublishAsync(int[]? productIds, bool replaceAll, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        List<ProductRating> ratings = [];
        List<(int ProductId, DateTime ChangedAt)> outbox = [];
        DateTimeOffset asOf;
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            // Which products: those named, the oldest of the outbox, or (a full rebuild) every product with a visible review.
            const string fromOutbox = "SELECT product_id FROM rating_outbox ORDER BY changed_at, product_id LIMIT 1000";
            var products = productIds is not null ? "SELECT unnest($1::integer[])" : fromOutbox;
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT now()"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(replaceAll
                ? "SELECT product_id, changed_at FROM rating_outbox"
                : $"SELECT product_id, changed_at FROM rating_outbox WHERE product_id IN ({products})"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(replaceAll
                ? "SELECT product_id, round(avg(rating), 2), count(*)::integer FROM reviews WHERE hidden_at IS NULL GROUP BY product_id"
                : $"""
                  SELECT p.id, round(avg(r.rating), 2), count(r.id)::integer
                  FROM ({products}) AS p (id) LEFT JOIN reviews r ON r.product_id = p.id AND r.hidden_at IS NULL
                  GROUP BY p.id
                  """));
            if (productIds is not null)
            {
                foreach (var command in batch.BatchCommands.Cast<NpgsqlBatchCommand>().Skip(1))
                {
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = productIds });
                }
            }
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            asOf = reader.GetFieldValue<DateTimeOffset>(0);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                outbox.Add((reader.GetInt32(0), reader.GetDateTime(1)));
            }
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var count = reader.GetInt32(2);
                ratings.Add(new ProductRating(reader.GetInt32(0), count == 0 ? null : reader.GetDecimal(1), count));
            }
        }
        if (ratings.Count == 0 && !replaceAll)
        {
            return 0;
        }
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CatalogClient>().SetRatingsAsync(ratings, asOf, replaceAll, cancellationToken);
        }
        if (outbox.Count > 0)
        {
            await using var delete = new NpgsqlCommand("""
                DELETE FROM rating_outbox o USING unnest($1, $2) AS d (product_id, changed_at)
                WHERE o.product_id = d.product_id AND o.changed_at = d.changed_at
                """, connection);
            delete.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = outbox.Select(o => o.ProductId).ToArray() });
            delete.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = outbox.Select(o => o.ChangedAt).ToArray() });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        return ratings.Count;
    }

    [LoggerMessage(LogLevel.Information, "Rating summaries of {Products} reviewed products sent to the catalog (full rebuild)")]
    private partial void LogRebuilt(int products);

    [LoggerMessage(LogLevel.Warning, "The rating of product {ProductId} could not reach the catalog yet ({Reason}); retrying in the background")]
    private partial void LogDeferred(int productId, string reason);

    [LoggerMessage(LogLevel.Warning, "Sending rating summaries to the catalog failed ({Reason}); retrying")]
    private partial void LogFailed(string reason);
}
