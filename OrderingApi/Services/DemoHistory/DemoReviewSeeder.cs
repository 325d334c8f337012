using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace OrderingApi.Services.DemoHistory;

/// <summary>
/// Writes the demo history's reviews once per database (recorded in <c>demo_review_runs</c>, under the demo history's
/// advisory lock): the delivered demo orders are read back from orderingdb, so a database whose orders were generated
/// before reviews existed gets them too. <see cref="DemoReviewGenerator"/> makes them; binary COPY writes them.
/// </summary>
public static class DemoReviewSeeder
{
    /// <summary>Writes the reviews unless they are there; returns how many were written (null: already there, or no history).</summary>
    public static async Task<int?> SeedAsync(NpgsqlDataSource dataSource, long lockKey, int seed, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({lockKey})", connection, transaction))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var check = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM demo_review_runs) OR NOT EXISTS (SELECT 1 FROM demo_history_runs)", connection, transaction))
        {
            if ((bool)(await check.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }
        var purchases = new List<DemoPurchase>();
        await using (var read = new NpgsqlCommand("""
            SELECT o.customer_id, l.product_id, min(l.product_name), min(o.updated_at)
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.demo AND o.status = 'Delivered'
            GROUP BY o.customer_id, l.product_id
            """, connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                purchases.Add(new DemoPurchase(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }
        var reviews = DemoReviewGenerator.Generate(purchases, seed, asOf);
        using (var copy = await connection.BeginBinaryImportAsync("""
            COPY reviews (product_id, customer_id, rating, title, body, created_at, updated_at, helpful_count, demo) FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            foreach (var r in reviews)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.ProductId, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(r.CustomerId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync((short)r.Rating, NpgsqlDbType.Smallint, cancellationToken);
                await copy.WriteAsync(r.Title, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Body, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.HelpfulCount, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var done = new NpgsqlCommand("INSERT INTO demo_review_runs (id, seed, reviews, elapsed_ms) VALUES (1, @seed, @reviews, @elapsed)", connection, transaction))
        {
            done.Parameters.Add(new NpgsqlParameter("seed", seed));
            done.Parameters.Add(new NpgsqlParameter("reviews", reviews.Count));
            done.Parameters.Add(new NpgsqlParameter("elapsed", (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        await using (var analyze = new NpgsqlCommand("ANALYZE reviews", connection))
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
        return reviews.Count;
    }
}
