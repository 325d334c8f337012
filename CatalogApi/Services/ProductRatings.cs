using CatalogApi.Model;
using Npgsql;
using NpgsqlTypes;

namespace CatalogApi.Services;

/// <summary>
/// Keeps each product's rating summary (average stars, number of reviews) as OrderingApi, which owns the reviews, sends
/// it: one statement, only where the summary is newer than the one held and differs from it; then the changed products
/// leave the caches and the search index (<see cref="CatalogCache.InvalidateAsync"/>, every instance through Redis).
/// </summary>
public sealed partial class ProductRatings(NpgsqlDataSource dataSource, CatalogCache cache, ILogger<ProductRatings> logger)
{
    public const int MaxRatings = 200_000;

    public static Dictionary<string, string[]> Check(ProductRatingsRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.AsOf is null)
        {
            errors["asOf"] = ["asOf is required: when the summaries were read."];
        }
        if (request.Ratings is null || request.Ratings.Count > MaxRatings)
        {
            errors["ratings"] = [$"ratings is a list of at most {MaxRatings} products."];
            return errors;
        }
        if (request.Ratings.Any(r => r is null || r.ProductId <= 0 || r.Count < 0
            || (r.Count == 0) != (r.Average is null) || r.Average is < 1 or > 5))
        {
            errors["ratings"] = ["Each rating needs a productId above 0, a count of 0 or more, and an average from 1 to 5 exactly when count is above 0."];
        }
        else if (request.Ratings.Select(r => r.ProductId).Distinct().Count() != request.Ratings.Count)
        {
            errors["ratings"] = ["A product appears more than once."];
        }
        return errors;
    }

    public async Task<int> ApplyAsync(ProductRatingsRequest request, CancellationToken cancellationToken)
    {
        var ratings = request.Ratings!;
        await using var command = dataSource.CreateCommand("""
            WITH given AS (
                SELECT * FROM unnest($1::integer[], $2::numeric[], $3::integer[]) AS g (id, average, count)
            ),
            wanted AS (
                SELECT p.id, round(g.average, 2) AS average, coalesce(g.count, 0) AS count,
                       p.rating_average AS old_average, p.rating_count AS old_count
                FROM products p LEFT JOIN given g ON g.id = p.id
                WHERE (g.id IS NOT NULL OR ($5 AND p.rating_count > 0))
                  AND (p.rating_as_of IS NULL OR p.rating_as_of <= $4)
            )
            UPDATE products p SET rating_average = w.average, rating_count = w.count, rating_as_of = $4
            FROM wanted w
            WHERE p.id = w.id
            RETURNING p.id, (w.old_average IS DISTINCT FROM w.average OR w.old_count <> w.count) AS changed
            """);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = ratings.Select(r => r.ProductId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric, Value = ratings.Select(r => r.Average).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = ratings.Select(r => r.Count).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = request.AsOf!.Value.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = request.ReplaceAll });
        var changed = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetBoolean(1))
                {
                    changed.Add(reader.GetInt32(0));
                }
            }
        }
        if (changed.Count > 0)
        {
            await cache.InvalidateAsync(changed, lists: true);
        }
        LogApplied(ratings.Count, changed.Count, request.ReplaceAll);
        return changed.Count;
    }

    [LoggerMessage(LogLevel.Information, "Ratings: {Given} product summaries given, {Updated} products updated (full rebuild: {ReplaceAll})")]
    private partial void LogApplied(int given, int updated, bool replaceAll);
}
