using Npgsql;
using NpgsqlTypes;
using OrderingApi.Model;

namespace OrderingApi.Services.Reviews;

public enum ReviewWriteResult
{
    Created,
    Updated,
    NotEligible,
}

public enum HelpfulResult
{
    Done,
    NotFound,
    OwnReview,
}

/// <summary>
/// orderingdb's reviews and helpful votes (SQL in 0003_reviews.sql), read and written with plain Npgsql. Every change
/// that moves a product's rating (a review written or edited, hidden or shown again) records the product in
/// <c>rating_outbox</c> in the same transaction; <see cref="RatingPublisher"/> then tells the catalog.
/// </summary>
public sealed class ReviewStore([FromKeyedServices("orderingdb")] NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    /// <summary>What customers are told when they have not received the product.</summary>
    public const string NotEligibleReason = "Only customers who bought this product and received it can review it.";

    // The columns ReadReview reads, in order; @me is the caller (null: nobody signed in).
    private const string ReviewColumns = """
        r.id, r.product_id, u."Name", r.rating, r.title, r.body, r.created_at, r.updated_at, r.helpful_count,
        coalesce(r.customer_id = @me, false),
        @me IS NOT NULL AND EXISTS (SELECT 1 FROM review_helpful_votes v WHERE v.review_id = r.id AND v.customer_id = @me),
        r.hidden_at, r.hidden_reason, r.hidden_by
        """;

    private const string Outbox = """
        INSERT INTO rating_outbox (product_id, changed_at) VALUES (@product, clock_timestamp())
        ON CONFLICT (product_id) DO UPDATE SET changed_at = excluded.changed_at
        """;

    public async Task<ReviewPage> ListAsync(int productId, ReviewSort sort, int page, int pageSize, string? me, CancellationToken cancellationToken)
    {
        var order = sort switch
        {
            ReviewSort.Helpful => "r.helpful_count DESC, r.created_at DESC, r.id DESC",
            ReviewSort.Highest => "r.rating DESC, r.created_at DESC, r.id DESC",
            ReviewSort.Lowest => "r.rating, r.created_at DESC, r.id DESC",
            _ => "r.created_at DESC, r.id DESC",
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command("SELECT rating, count(*)::integer FROM reviews WHERE product_id = @product AND hidden_at IS NULL GROUP BY rating",
            new NpgsqlParameter("product", productId)));
        batch.BatchCommands.Add(Command($"""
            SELECT {ReviewColumns}
            FROM reviews r LEFT JOIN "AspNetUsers" u ON u."Id" = r.customer_id
            WHERE r.product_id = @product AND r.hidden_at IS NULL
            ORDER BY {order}
            LIMIT @limit OFFSET @offset
            """, new NpgsqlParameter("product", productId), Me(me),
            new NpgsqlParameter("limit", pageSize), new NpgsqlParameter("offset", (page - 1) * pageSize)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var stars = new int[5];
        while (await reader.ReadAsync(cancellationToken))
        {
            stars[reader.GetInt16(0) - 1] = reader.GetInt32(1);
        }
        await reader.NextResultAsync(cancellationToken);
        var items = new List<ReviewResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadReview(reader, admin: false));
        }
        var summary = Summarize(stars);
        return new ReviewPage(summary, items, summary.Count, page, pageSize, sort.ToString().ToLowerInvariant());
    }

    /// <summary>The average to two decimals and the count from how many reviews gave 1..5 stars.</summary>
    public static ReviewSummary Summarize(int[] stars)
    {
        var count = stars.Sum();
        decimal? average = count == 0 ? null : Math.Round((decimal)stars.Select((n, i) => n * (i + 1)).Sum() / count, 2, MidpointRounding.AwayFromZero);
        return new ReviewSummary(average, count, stars);
    }

    public async Task<MyReviewResponse> GetMineAsync(int productId, string me, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var eligible = await EligibleAsync(connection, null, productId, me, cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {ReviewColumns}
            FROM reviews r LEFT JOIN "AspNetUsers" u ON u."Id" = r.customer_id
            WHERE r.product_id = @product AND r.customer_id = @me
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("product", productId));
        command.Parameters.Add(Me(me));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var review = await reader.ReadAsync(cancellationToken) ? ReadReview(reader, admin: false) : null;
        return new MyReviewResponse(eligible, eligible ? null : NotEligibleReason, review);
    }

    /// <summary>Writes the caller's review of the product, or replaces the one they wrote (a hidden one stays hidden).</summary>
    public async Task<(ReviewWriteResult Result, ReviewResponse? Review)> WriteAsync(
        int productId, string me, (int Rating, string Title, string Body) review, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await EligibleAsync(connection, transaction, productId, me, cancellationToken))
        {
            return (ReviewWriteResult.NotEligible, null);
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command("""
            INSERT INTO reviews (product_id, customer_id, rating, title, body, created_at, updated_at)
            VALUES (@product, @me, @rating, @title, @body, @at, @at)
            ON CONFLICT (product_id, customer_id) DO UPDATE
                SET rating = excluded.rating, title = excluded.title, body = excluded.body, updated_at = excluded.updated_at
            RETURNING id, xmax = 0
            """, new NpgsqlParameter("product", productId), Me(me), new NpgsqlParameter("rating", (short)review.Rating),
            new NpgsqlParameter("title", review.Title), new NpgsqlParameter("body", review.Body), new NpgsqlParameter("at", Now())));
        batch.BatchCommands.Add(Command(Outbox, new NpgsqlParameter("product", productId)));
        long id;
        bool created;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (id, created) = (reader.GetInt64(0), reader.GetBoolean(1));
        }
        await transaction.CommitAsync(cancellationToken);
        return (created ? ReviewWriteResult.Created : ReviewWriteResult.Updated, await GetAsync(id, me, admin: false, cancellationToken));
    }

    /// <summary>Counts the caller's vote once; not on their own review, nor on a hidden one (not found).</summary>
    public async Task<(HelpfulResult Result, HelpfulResponse? Answer)> MarkHelpfulAsync(long id, string me, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            WITH review AS (
                SELECT id, customer_id, helpful_count FROM reviews WHERE id = @id AND hidden_at IS NULL
            ),
            vote AS (
                INSERT INTO review_helpful_votes (review_id, customer_id, created_at)
                SELECT id, @me, @at FROM review WHERE customer_id <> @me
                ON CONFLICT DO NOTHING
                RETURNING review_id
            ),
            counted AS (
                UPDATE reviews SET helpful_count = helpful_count + 1 WHERE id IN (SELECT review_id FROM vote) RETURNING helpful_count
            )
            SELECT customer_id = @me, coalesce((SELECT helpful_count FROM counted), helpful_count) FROM review
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("id", id));
        command.Parameters.Add(Me(me));
        command.Parameters.Add(new NpgsqlParameter("at", Now()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (HelpfulResult.NotFound, null);
        }
        return reader.GetBoolean(0)
            ? (HelpfulResult.OwnReview, null)
            : (HelpfulResult.Done, new HelpfulResponse(id, reader.GetInt32(1), true));
    }

    /// <summary>Hides a review with the reason (null: shows it again); null when there is no such review.</summary>
    public async Task<AdminReviewResponse?> SetHiddenAsync(long id, string? reason, string by, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            WITH changed AS (
                UPDATE reviews SET hidden_at = CASE WHEN @reason IS NULL THEN NULL ELSE @at END, hidden_reason = @reason,
                                   hidden_by = CASE WHEN @reason IS NULL THEN NULL ELSE @by END
                WHERE id = @id
                RETURNING product_id
            )
            {Outbox.Replace("VALUES (@product, clock_timestamp())", "SELECT product_id, clock_timestamp() FROM changed", StringComparison.Ordinal)}
            RETURNING product_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("id", id));
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("by", by));
        command.Parameters.Add(new NpgsqlParameter("at", Now()));
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            return null;
        }
        return (await ListForAdminAsync(null, null, id, 1, 1, cancellationToken)).Items.FirstOrDefault();
    }

    /// <summary>Every review (hidden ones too), newest first: of a product, hidden or visible ones only, or one by id.</summary>
    public async Task<AdminReviewPage> ListForAdminAsync(int? productId, bool? hidden, long? id, int page, int pageSize, CancellationToken cancellationToken)
    {
        const string filter = """
            (@product::integer IS NULL OR r.product_id = @product) AND (@id::bigint IS NULL OR r.id = @id)
            AND (@hidden::boolean IS NULL OR (r.hidden_at IS NOT NULL) = @hidden)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        NpgsqlParameter[] Filters() =>
        [
            new("product", NpgsqlDbType.Integer) { Value = (object?)productId ?? DBNull.Value },
            new("id", NpgsqlDbType.Bigint) { Value = (object?)id ?? DBNull.Value },
            new("hidden", NpgsqlDbType.Boolean) { Value = (object?)hidden ?? DBNull.Value },
        ];
        batch.BatchCommands.Add(Command($"SELECT count(*)::integer FROM reviews r WHERE {filter}", Filters()));
        batch.BatchCommands.Add(Command($"""
            SELECT {ReviewColumns}, u."Email",
                   (SELECT l.product_name FROM order_lines l WHERE l.product_id = r.product_id ORDER BY l.order_id DESC LIMIT 1)
            FROM reviews r LEFT JOIN "AspNetUsers" u ON u."Id" = r.customer_id
            WHERE {filter}
            ORDER BY r.created_at DESC, r.id DESC
            LIMIT @limit OFFSET @offset
            """, [.. Filters(), Me(null), new("limit", pageSize), new("offset", (page - 1) * pageSize)]));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<AdminReviewResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new AdminReviewResponse(ReadReview(reader, admin: true), reader.IsDBNull(15) ? "" : reader.GetString(15), reader.IsDBNull(14) ? "" : reader.GetString(14)));
        }
        return new AdminReviewPage(items, total, page, pageSize);
    }

    private async Task<ReviewResponse?> GetAsync(long id, string? me, bool admin, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ReviewColumns}
            FROM reviews r LEFT JOIN "AspNetUsers" u ON u."Id" = r.customer_id
            WHERE r.id = @id
            """);
        command.Parameters.Add(new NpgsqlParameter("id", id));
        command.Parameters.Add(Me(me));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadReview(reader, admin) : null;
    }

    /// <summary>A verified purchase: an order of the customer's holding the product reached Delivered.</summary>
    private static async Task<bool> EligibleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int productId, string me, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (
                SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id
                WHERE o.customer_id = @me AND o.status = 'Delivered' AND l.product_id = @product)
            """, connection, transaction);
        command.Parameters.Add(Me(me));
        command.Parameters.Add(new NpgsqlParameter("product", productId));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static ReviewResponse ReadReview(NpgsqlDataReader reader, bool admin) => new(
        reader.GetInt64(0), reader.GetInt32(1), ReviewRules.AuthorName(reader.IsDBNull(2) ? null : reader.GetString(2)), reader.GetInt16(3),
        reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
        reader.GetInt32(8), reader.GetBoolean(9), reader.GetBoolean(10),
        reader.IsDBNull(11) ? null : new ReviewHidden(reader.GetFieldValue<DateTimeOffset>(11), reader.GetString(12), admin && !reader.IsDBNull(13) ? reader.GetString(13) : null));

    private DateTimeOffset Now() => CheckoutService.Microseconds(timeProvider.GetUtcNow());

    private static NpgsqlParameter Me(string? me) => new("me", NpgsqlDbType.Text) { Value = (object?)me ?? DBNull.Value };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
