using System.Diagnostics;
using System.Text.Json;
using CatalogApi.Infrastructure;
using CatalogApi.Model;
using ECommerce.ServiceDefaults.Data;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CatalogApi.Services;

public enum ReservationResult
{
    Created,
    AlreadyExists,
    Insufficient,
    UnknownVariants,
    Done,
    NotFound,
    Conflict,
}

/// <summary>A reservation of a batch that could not be committed or returned, and its status (expired, released, ...).</summary>
public sealed record ReservationBatchProblem(Guid Id, string Status);

/// <param name="Lines">A commit's variants, as the catalog describes them (also for a repeated commit).</param>
/// <param name="LineProblems">Variants that stopped a commit: another price than expected, or no longer sold.</param>
public sealed record ReservationBatchOutcome(
    ReservationResult Result,
    IReadOnlyList<ReservationBatchProblem> Problems,
    string? Message,
    IReadOnlyList<CommittedLine>? Lines = null,
    IReadOnlyList<CommitLineProblem>? LineProblems = null);

public sealed record ReservationOutcome(
    ReservationResult Result,
    ReservationResponse? Reservation = null,
    IReadOnlyList<StockShortage>? Shortages = null,
    IReadOnlyList<int>? UnknownVariants = null,
    string? Message = null);

/// <summary>
/// Reservations: stock held for a cart or an order, then committed (a sale), released, or expired by the sweeper.
/// <para>
/// Reserving is one round trip, one implicit transaction: lock the variant rows in id order (two reservations of the
/// same variants never wait on each other crosswise), then ONE statement that reads every line's availability after
/// those locks and, only when every line is available (<c>on_hand - reserved &gt;= q</c>), inserts the reservation,
/// adds each quantity to reserved and records the lines: all lines or none. A concurrent reservation waits on the row
/// locks and then reads the committed values, and the CHECK constraint <c>reserved &lt;= on_hand</c> stands behind it,
/// so stock is never reserved twice or below zero.
/// </para>
/// <para>
/// Ending a reservation (commit, release, expiry) first moves its status from active under the reservation's row
/// lock, so exactly one of them wins, then applies its lines to the variants (again locked in id order) in the same transaction.
/// </para>
/// </summary>
public sealed partial class ReservationService(
    NpgsqlDataSource dataSource,
    StockNotifier notifier,
    IOptions<CatalogOptions> options,
    ILogger<ReservationService> logger)
{
    private const int MaxAttempts = 3;

    // The variant updates return (id, product_id, sku, on_hand, reserved, quantity); the row locks return one column.
    private const int UpdatedColumns = 6;

    public async Task<ReservationOutcome> CreateAsync(CreateReservationRequest request, string actor, CancellationToken cancellationToken)
    {
        var id = request.Id ?? Guid.CreateVersion7();
        var lines = StockRules.MergeLines(request.Lines!.Select(l => (l.VariantId!.Value, l.Quantity!.Value)));
        var seconds = request.ExpiresInSeconds ?? options.Value.DefaultReservationSeconds;
        var owner = request.Owner!.Trim();

        // A repeated id (a retry) is found by the primary key below: the insert fails and the first reservation answers.
        // Tags on the request's span (no span of its own: one per reservation would double the spans a cart add sends).
        var activity = Activity.Current;
        activity?.SetTag("catalog.reservation.lines", lines.Count);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await TryReserveAsync(id, owner, lines, seconds, request.Reference, actor, cancellationToken);
                CatalogTelemetry.Reservations.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Result.ToString()));
                activity?.SetTag("catalog.reservation.outcome", outcome.Result.ToString());
                return outcome;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "reservations_pkey")
            {
                // The same id, sent twice at once: the other request made it.
                return await AnswerExistingAsync(id, owner, lines, cancellationToken);
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                LogRetrying(e.SqlState, attempt);
            }
        }
    }

    private async Task<ReservationOutcome> TryReserveAsync(
        Guid id, string owner, IReadOnlyList<(int VariantId, int Quantity)> lines, int seconds, string? reference, string actor,
        CancellationToken cancellationToken)
    {
        var (held, idTaken, reserved, createdAt, expiresAt) = await ReserveInOneRoundTripAsync(id, owner, lines, seconds, reference, actor, cancellationToken);
        // The connection is back in the pool before anything else is asked of the database: a request never holds
        // one connection while it waits for another (200 requests at once would otherwise starve the pool).
        if (idTaken)
        {
            // A repeated id (a retry of a reservation that was made): the first reservation answers.
            return await AnswerExistingAsync(id, owner, lines, cancellationToken);
        }
        if (!held)
        {
            return await DescribeShortageAsync(lines, cancellationToken);
        }
        LogReserved(id, owner, lines.Sum(l => l.Quantity), lines.Count);
        await notifier.StockChangedAsync(reserved, "reserved");
        var skus = reserved.ToDictionary(r => r.VariantId, r => r.Sku);
        return new ReservationOutcome(ReservationResult.Created, new ReservationResponse(
            id, owner, "active", createdAt, expiresAt, null, reference,
            [.. lines.Select(l => new ReservationLineResponse(l.VariantId, skus[l.VariantId], l.Quantity))]));
    }

    /// <summary>
    /// The reservation in one batch, which PostgreSQL runs as one implicit transaction: true when every line was held
    /// (and the reservation made); IdTaken when a reservation with this id exists already (nothing was done).
    /// </summary>
    private async Task<(bool Held, bool IdTaken, List<VariantStock> Reserved, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)> ReserveInOneRoundTripAsync(
        Guid id, string owner, IReadOnlyList<(int VariantId, int Quantity)> lines, int seconds, string? reference, string actor,
        CancellationToken cancellationToken)
    {
        var variantIds = lines.Select(l => l.VariantId).ToArray();
        var quantities = lines.Select(l => l.Quantity).ToArray();

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(GenericPlans.ForTransaction());
        // Row locks in id order, so reservations of the same variants queue instead of deadlocking.
        batch.BatchCommands.Add(Command("SELECT id FROM variants WHERE id = ANY (@ids) ORDER BY id FOR UPDATE",
            new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = variantIds }));
        // Then one statement, whose snapshot is taken after those locks, so what it reads of these rows nobody can
        // change any more: if every line is available (and its product sold) and the id is new, it makes the
        // reservation, adds each line's quantity to reserved and records the lines; otherwise it writes nothing.
        // Each variant's quantity is looked up in the arrays (ids are distinct) rather than joined from unnest():
        // one plan by primary key, which PostgreSQL keeps. It always answers one row (for wanted), then one per line held.
        batch.BatchCommands.Add(Command("""
            WITH wanted AS (
                SELECT EXISTS (SELECT 1 FROM reservations WHERE id = @id) AS taken,
                       (SELECT count(*) FROM variants v
                        WHERE v.id = ANY (@ids::integer[])
                          AND v.on_hand - v.reserved >= (@quantities::integer[])[array_position(@ids::integer[], v.id)]
                          AND EXISTS (SELECT 1 FROM products p WHERE p.id = v.product_id AND p.archived_at IS NULL))
                       = cardinality(@ids::integer[]) AS available
            ),
            reservation AS (
                INSERT INTO reservations (id, owner, status, created_by, expires_at, reference)
                SELECT @id, @owner, 'active', @actor, now() + @seconds * interval '1 second', @reference
                FROM wanted WHERE available AND NOT taken
                RETURNING created_at, expires_at
            ),
            held AS (
                UPDATE variants v
                SET reserved = v.reserved + (@quantities::integer[])[array_position(@ids::integer[], v.id)], updated_at = now()
                FROM wanted
                WHERE wanted.available AND NOT wanted.taken AND v.id = ANY (@ids::integer[])
                RETURNING v.id, v.product_id, v.sku, v.on_hand, v.reserved, (@quantities::integer[])[array_position(@ids::integer[], v.id)] AS quantity
            ),
            lines AS (
                INSERT INTO reservation_lines (reservation_id, variant_id, quantity)
                SELECT @id, id, quantity FROM held
            )
            SELECT w.taken, NULL::integer, NULL::integer, NULL::text, NULL::integer, NULL::integer, NULL::integer, NULL::timestamptz, NULL::timestamptz FROM wanted w
            UNION ALL
            SELECT false, h.id, h.product_id, h.sku, h.on_hand, h.reserved, h.quantity, r.created_at, r.expires_at FROM held h CROSS JOIN reservation r
            """,
            new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id },
            new NpgsqlParameter("owner", NpgsqlDbType.Text) { Value = owner },
            new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = actor },
            new NpgsqlParameter("seconds", NpgsqlDbType.Integer) { Value = seconds },
            new NpgsqlParameter("reference", NpgsqlDbType.Text) { Value = (object?)reference ?? DBNull.Value },
            new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = variantIds },
            new NpgsqlParameter("quantities", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = quantities }));

        var reserved = new List<VariantStock>();
        var taken = false;
        DateTimeOffset createdAt = default, expiresAt = default;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken); // past plan_cache_mode's row
            await reader.NextResultAsync(cancellationToken); // past the locked ids
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(1))
                {
                    taken = reader.GetBoolean(0);
                    continue;
                }
                var onHand = reader.GetInt32(4);
                var reservedNow = reader.GetInt32(5);
                reserved.Add(new VariantStock(reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3), onHand, reservedNow,
                    AvailableBefore: onHand - reservedNow + reader.GetInt32(6)));
                createdAt = reader.GetFieldValue<DateTimeOffset>(7);
                expiresAt = reader.GetFieldValue<DateTimeOffset>(8);
            }
        }
        return (reserved.Count == lines.Count, taken, reserved, createdAt, expiresAt);
    }

    /// <summary>Why a reservation failed: variants that do not exist, else the lines short of stock with what is available.</summary>
    private async Task<ReservationOutcome> DescribeShortageAsync(IReadOnlyList<(int VariantId, int Quantity)> lines, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT v.id, CASE WHEN p.archived_at IS NULL THEN v.on_hand - v.reserved ELSE 0 END
            FROM variants v JOIN products p ON p.id = v.product_id
            WHERE v.id = ANY (@ids)
            """);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.VariantId).ToArray() });
        var available = new Dictionary<int, int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                available[reader.GetInt32(0)] = reader.GetInt32(1);
            }
        }
        var unknown = lines.Where(l => !available.ContainsKey(l.VariantId)).Select(l => l.VariantId).ToList();
        if (unknown.Count > 0)
        {
            return new ReservationOutcome(ReservationResult.UnknownVariants, UnknownVariants: unknown);
        }
        // Availability read after the rollback: a line may show enough now if stock came back meanwhile.
        var shortages = lines
            .Select(l => new StockShortage(l.VariantId, l.Quantity, Math.Max(0, available[l.VariantId])))
            .Where(s => s.Available < s.Requested)
            .ToList();
        return new ReservationOutcome(ReservationResult.Insufficient,
            Shortages: shortages.Count > 0 ? shortages : [.. lines.Select(l => new StockShortage(l.VariantId, l.Quantity, available[l.VariantId]))]);
    }

    public async Task<ReservationResponse?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.owner, r.status, r.created_at, r.expires_at, r.ended_at, r.reference, l.variant_id, v.sku, l.quantity
            FROM reservations r
            LEFT JOIN reservation_lines l ON l.reservation_id = r.id
            LEFT JOIN variants v ON v.id = l.variant_id
            WHERE r.id = @id
            ORDER BY l.variant_id
            """);
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        ReservationResponse? reservation = null;
        var lines = new List<ReservationLineResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            reservation ??= new ReservationResponse(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                lines);
            if (!reader.IsDBNull(7))
            {
                lines.Add(new ReservationLineResponse(reader.GetInt32(7), reader.GetString(8), reader.GetInt32(9)));
            }
        }
        return reservation;
    }

    /// <summary>Turns the reservation into a sale: on hand and reserved both go down, a sale movement per line.</summary>
    public Task<ReservationOutcome> CommitAsync(Guid id, string? reference, string actor, CancellationToken cancellationToken) =>
        EndAsync(id, "committed", reference, actor, cancellationToken);

    /// <summary>Gives the stock back. Releasing a released or expired reservation again changes nothing.</summary>
    public Task<ReservationOutcome> ReleaseAsync(Guid id, string actor, CancellationToken cancellationToken) =>
        EndAsync(id, "released", null, actor, cancellationToken);

    public async Task<ReservationOutcome> ExtendAsync(Guid id, int seconds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE reservations SET expires_at = now() + @seconds * interval '1 second'
            WHERE id = @id AND status = 'active' AND expires_at > now()
            """);
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id });
        command.Parameters.Add(new NpgsqlParameter("seconds", NpgsqlDbType.Integer) { Value = seconds });
        var extended = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        var reservation = await GetAsync(id, cancellationToken);
        return (extended, reservation) switch
        {
            (_, null) => new ReservationOutcome(ReservationResult.NotFound),
            (true, _) => new ReservationOutcome(ReservationResult.Done, reservation),
            _ => new ReservationOutcome(ReservationResult.Conflict, reservation,
                Message: reservation.Status == "active" ? "The reservation has expired." : $"The reservation is {reservation.Status}."),
        };
    }

    /// <summary>Releases reservations past their expiry, a batch at a time; returns how many it released.</summary>
    public async Task<int> ExpireDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // SKIP LOCKED: several instances sweep side by side, and a reservation being committed right now is left to that commit.
        await using var command = new NpgsqlCommand("""
            WITH expired AS (
                UPDATE reservations SET status = 'expired', ended_at = now()
                WHERE id IN (SELECT id FROM reservations
                             WHERE status = 'active' AND expires_at <= now()
                             ORDER BY expires_at
                             LIMIT @batch
                             FOR UPDATE SKIP LOCKED)
                RETURNING id
            )
            SELECT (SELECT count(*)::integer FROM expired), l.variant_id, sum(l.quantity)::integer
            FROM reservation_lines l WHERE l.reservation_id = ANY (ARRAY(SELECT id FROM expired))
            GROUP BY l.variant_id
            ORDER BY l.variant_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("batch", NpgsqlDbType.Integer) { Value = batchSize });
        var count = 0;
        var lines = new List<(int VariantId, int Quantity)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                count = reader.GetInt32(0);
                lines.Add((reader.GetInt32(1), reader.GetInt32(2)));
            }
        }
        if (count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return 0;
        }
        var changes = await ApplyAsync(connection, transaction, lines, "released", null, "", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        CatalogTelemetry.ReservationsExpired.Add(count);
        LogExpired(count, lines.Sum(l => l.Quantity));
        await notifier.StockChangedAsync(changes, "expired");
        return count;
    }

    private async Task<ReservationOutcome> EndAsync(Guid id, string status, string? reference, string actor, CancellationToken cancellationToken)
    {
        Activity.Current?.SetTag("catalog.reservation.status", status);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryEndAsync(id, status, reference, actor, cancellationToken);
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                LogRetrying(e.SqlState, attempt);
            }
        }
    }

    private async Task<ReservationOutcome> TryEndAsync(Guid id, string status, string? reference, string actor, CancellationToken cancellationToken)
    {
        var changes = await EndInTransactionAsync(id, status, reference, actor, cancellationToken);
        var current = await GetAsync(id, cancellationToken);
        if (changes is null)
        {
            return (current?.Status, status) switch
            {
                (null, _) => new ReservationOutcome(ReservationResult.NotFound),
                // Repeats are harmless: committing a committed reservation, releasing a released or expired one.
                ("committed", "committed") or ("released" or "expired", "released") => new ReservationOutcome(ReservationResult.Done, current),
                ("active", "committed") => new ReservationOutcome(ReservationResult.Conflict, current, Message: "The reservation has expired; reserve again."),
                _ => new ReservationOutcome(ReservationResult.Conflict, current, Message: $"The reservation is {current!.Status}."),
            };
        }
        LogEnded(id, status, changes.Count);
        await notifier.StockChangedAsync(changes, status, listsChanged: status == "committed");
        return new ReservationOutcome(ReservationResult.Done, current);
    }

    /// <summary>Moves the reservation from active to <paramref name="status"/> and applies its lines; null when it was not active.</summary>
    private async Task<List<VariantStock>?> EndInTransactionAsync(Guid id, string status, string? reference, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            WITH ended AS (
                UPDATE reservations
                SET status = @status, ended_at = now(), reference = coalesce(@reference, reference)
                WHERE id = @id AND status = 'active' AND (@status = 'released' OR expires_at > now())
                RETURNING id
            )
            SELECT l.variant_id, l.quantity
            FROM reservation_lines l WHERE l.reservation_id = ANY (ARRAY(SELECT id FROM ended))
            ORDER BY l.variant_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id });
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = status });
        command.Parameters.Add(new NpgsqlParameter("reference", NpgsqlDbType.Text) { Value = (object?)reference ?? DBNull.Value });
        var lines = new List<(int VariantId, int Quantity)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add((reader.GetInt32(0), reader.GetInt32(1)));
            }
        }
        if (lines.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }
        var changes = await ApplyAsync(connection, transaction, lines, status, reference, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changes;
    }

    /// <summary>
    /// Applies ended lines (one per variant) to the variants, rows locked in id order: a release takes them off reserved; a commit
    /// takes them off reserved and on hand, counts them as sold and records a sale movement per line.
    /// </summary>
    private static async Task<List<VariantStock>> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(int VariantId, int Quantity)> lines,
        string status, string? reference, string actor, CancellationToken cancellationToken, NpgsqlBatchCommand? first = null)
    {
        var sale = status == "committed";
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("SELECT id FROM variants WHERE id = ANY (@ids) ORDER BY id FOR UPDATE",
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.VariantId).ToArray() }),
                Command("""
                    WITH changed AS (
                        UPDATE variants v
                        SET reserved = v.reserved - (@quantities::integer[])[array_position(@ids::integer[], v.id)],
                            on_hand = v.on_hand - CASE WHEN @sale THEN (@quantities::integer[])[array_position(@ids::integer[], v.id)] ELSE 0 END,
                            units_sold = v.units_sold + CASE WHEN @sale THEN (@quantities::integer[])[array_position(@ids::integer[], v.id)] ELSE 0 END,
                            updated_at = now()
                        WHERE v.id = ANY (@ids::integer[])
                        RETURNING v.id, v.product_id, v.sku, v.on_hand, v.reserved, (@quantities::integer[])[array_position(@ids::integer[], v.id)] AS quantity
                    ),
                    sales AS (
                        INSERT INTO stock_movements (variant_id, kind, quantity, on_hand_after, reason, reference, actor)
                        SELECT id, 'sale', -quantity, on_hand, 'Reservation committed', @reference, @actor
                        FROM changed
                        WHERE @sale
                    )
                    SELECT id, product_id, sku, on_hand, reserved, quantity FROM changed ORDER BY id
                    """,
                    new NpgsqlParameter("sale", NpgsqlDbType.Boolean) { Value = sale },
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.VariantId).ToArray() },
                    new NpgsqlParameter("quantities", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.Quantity).ToArray() },
                    new NpgsqlParameter("reference", NpgsqlDbType.Text) { Value = (object?)reference ?? DBNull.Value },
                    new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = actor }),
            },
        };
        if (first is not null)
        {
            batch.BatchCommands.Insert(0, first);
        }
        return await ReadChangesAsync(batch, sale, cancellationToken);
    }

    /// <summary>The variants a batch changed (its last result); a sale leaves availability as it was, a release or return adds the quantity back.</summary>
    private static async Task<List<VariantStock>> ReadChangesAsync(NpgsqlBatch batch, bool sale, CancellationToken cancellationToken)
    {
        var changes = new List<VariantStock>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            if (reader.FieldCount != UpdatedColumns)
            {
                continue; // the lock's rows
            }
            while (await reader.ReadAsync(cancellationToken))
            {
                var onHand = reader.GetInt32(3);
                var reserved = reader.GetInt32(4);
                var quantity = reader.GetInt32(5);
                // A sale leaves availability as it was; a release adds the quantity back.
                changes.Add(new VariantStock(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), onHand, reserved,
                    AvailableBefore: sale ? onHand - reserved : onHand - reserved - quantity));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
        return changes;
    }

    /// <summary>
    /// Commits several reservations as one sale (an order's cart lines): all of them or none. Each must be active and
    /// not past its expiry, and each variant's product still sold; with <paramref name="prices"/>, each variant's price
    /// must be the expected one. Otherwise the answer names what stopped it. Committing the same set again sells nothing
    /// more; under another reference (an order that takes over a sale whose first order was never written), it moves
    /// the reservations to that reference and their commit time to now.
    /// </summary>
    public Task<ReservationBatchOutcome> CommitManyAsync(
        IReadOnlyList<Guid> ids, string? reference, IReadOnlyDictionary<int, decimal>? prices, string actor, CancellationToken cancellationToken) =>
        EndManyAsync(ids, "committed", reference, prices, false, actor, cancellationToken);

    /// <summary>
    /// The committed reservations <paramref name="actor"/> made, in commit order (time, then id), after
    /// (<paramref name="from"/>, <paramref name="afterId"/>) and before <paramref name="to"/>: at most
    /// <paramref name="limit"/>, and whether more follow (ask again from the last one). OrderingApi looks here for
    /// sales whose order was never written.
    /// </summary>
    public async Task<CommittedReservationPage> ListCommittedAsync(
        string actor, DateTimeOffset from, Guid afterId, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, owner, reference, ended_at FROM reservations
            WHERE status = 'committed' AND (ended_at, id) > (@from, @afterId) AND ended_at < @to AND created_by = @actor
            ORDER BY ended_at, id
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("afterId", NpgsqlDbType.Uuid) { Value = afterId });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = actor });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit + 1 });
        var items = new List<CommittedReservation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CommittedReservation(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3)));
        }
        var more = items.Count > limit;
        return new CommittedReservationPage(more ? items[..limit] : items, more);
    }

    /// <summary>
    /// Puts the stock of committed reservations back on hand (a cancelled order): a return movement per variant, units
    /// sold go down. Returning a returned reservation again changes nothing; other statuses refuse the whole batch.
    /// With <paramref name="requireReference"/>, a reservation committed under another reference than
    /// <paramref name="reference"/> refuses the batch too (a sale another order took over since it was looked at).
    /// </summary>
    public Task<ReservationBatchOutcome> ReturnManyAsync(
        IReadOnlyList<Guid> ids, string? reference, bool requireReference, string actor, CancellationToken cancellationToken) =>
        EndManyAsync(ids, "returned", reference, null, requireReference, actor, cancellationToken);

    private async Task<ReservationBatchOutcome> EndManyAsync(IReadOnlyList<Guid> ids, string status, string? reference,
        IReadOnlyDictionary<int, decimal>? prices, bool requireReference, string actor, CancellationToken cancellationToken)
    {
        Activity.Current?.SetTag("catalog.reservation.status", status);
        Activity.Current?.SetTag("catalog.reservation.count", ids.Count);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (outcome, changes) = await EndManyInTransactionAsync([.. ids.Distinct().Order()], status, reference, prices, requireReference, actor, cancellationToken);
                if (changes.Count > 0)
                {
                    LogEndedMany(ids.Count, status, changes.Count);
                    await notifier.StockChangedAsync(changes, status, listsChanged: true);
                }
                return outcome;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                LogRetrying(e.SqlState, attempt);
            }
        }
    }

    private async Task<(ReservationBatchOutcome Outcome, List<VariantStock> Changes)> EndManyInTransactionAsync(Guid[] ids, string status,
        string? reference, IReadOnlyDictionary<int, decimal>? prices, bool requireReference, string actor, CancellationToken cancellationToken)
    {
        var committing = status == "committed";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One round trip: the reservations locked in id order (the sweeper skips locked ones), and for a commit the
        // variants they hold as the catalog describes them now (price, names, still sold). Then decide for the whole batch.
        var found = new Dictionary<Guid, (string Status, bool Live, string? Reference)>();
        var lines = new List<(CommittedLine Line, bool Sold)>();
        await using (var read = new NpgsqlBatch(connection, transaction))
        {
            read.BatchCommands.Add(GenericPlans.ForTransaction());
            read.BatchCommands.Add(Command("SELECT id, status, expires_at > now(), reference FROM reservations WHERE id = ANY (@ids) ORDER BY id FOR UPDATE",
                new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids }));
            if (committing)
            {
                read.BatchCommands.Add(Command("""
                    SELECT v.id, v.product_id, v.sku, p.name, v.options::text, v.price, p.archived_at IS NULL,
                           (SELECT sum(l.quantity)::integer FROM reservation_lines l WHERE l.reservation_id = ANY (@ids) AND l.variant_id = v.id)
                    FROM variants v JOIN products p ON p.id = v.product_id
                    WHERE v.id = ANY (ARRAY(SELECT l.variant_id FROM reservation_lines l WHERE l.reservation_id = ANY (@ids)))
                    ORDER BY v.id
                    """, new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids }));
            }
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken); // past plan_cache_mode's row
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetGuid(0)] = (reader.GetString(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
            if (committing && await reader.NextResultAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var options = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [];
                    lines.Add((new CommittedLine(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), options,
                        reader.GetDecimal(5), reader.GetInt32(7)), reader.GetBoolean(6)));
                }
            }
        }
        var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (new ReservationBatchOutcome(ReservationResult.NotFound, [.. missing.Select(id => new ReservationBatchProblem(id, "unknown"))],
                "Unknown reservations."), []);
        }
        var refused = found
            .Where(r => committing
                ? !(r.Value.Status == "active" && r.Value.Live) && r.Value.Status != "committed"
                : r.Value.Status is not ("committed" or "returned"))
            .Select(r => new ReservationBatchProblem(r.Key, r.Value.Status == "active" ? "expired" : r.Value.Status))
            .ToList();
        if (requireReference)
        {
            refused.AddRange(found.Where(r => r.Value.Status == "committed" && r.Value.Reference != reference)
                .Select(r => new ReservationBatchProblem(r.Key, "committed under another reference")));
        }
        var toEnd = found.Where(r => r.Value.Status == (committing ? "active" : "committed")).Select(r => r.Key).ToArray();
        if (refused.Count > 0 || (committing && toEnd.Length > 0 && toEnd.Length < ids.Length))
        {
            // A commit is all or nothing: a half-committed batch (which this method never leaves) is refused too.
            await transaction.RollbackAsync(cancellationToken);
            return (new ReservationBatchOutcome(ReservationResult.Conflict, refused,
                committing ? "Not every reservation can be committed: nothing was."
                : refused.All(r => r.Status == "committed under another reference") ? "Some reservations were committed under another reference: nothing was returned."
                : "Only committed reservations can be returned: nothing was."), []);
        }
        var committed = lines.Select(l => l.Line).ToList();
        if (toEnd.Length == 0)
        {
            // A repeat. Under another reference, the reservations now belong to it, committed now: a checkout that
            // takes over the sale of one whose order was never written (see OrderingApi's SaleReconciler).
            if (committing && reference is not null && found.Values.Any(r => r.Reference != reference))
            {
                // Committing them again under the new reference sets exactly that: the reference and the commit time.
                await using var move = new NpgsqlBatch(connection, transaction) { BatchCommands = { EndCommand(ids, status, reference) } };
                await move.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
            }
            return (new ReservationBatchOutcome(ReservationResult.Done, [], null, committing ? committed : null), []);
        }
        if (committing && LineProblems(lines, prices) is { Count: > 0 } problems)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (new ReservationBatchOutcome(ReservationResult.Conflict, [],
                "Some variants are no longer sold or have another price now: nothing was committed.", LineProblems: problems), []);
        }

        // A commit ends every reservation of the batch (all were active), so its lines are the ones read above: the
        // status change goes with the variants' update in one batch. A return reads the lines of those it ends.
        var changes = committing
            ? await ApplyAsync(connection, transaction, [.. committed.Select(l => (l.VariantId, l.Quantity))], status, reference, actor, cancellationToken,
                EndCommand(toEnd, status, reference))
            : await ApplyReturnAsync(connection, transaction, await EndReturnedAsync(connection, transaction, toEnd, reference, cancellationToken),
                reference, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new ReservationBatchOutcome(ReservationResult.Done, [], null, committing ? committed : null), changes);
    }

    /// <summary>Marks the reservations committed or returned; a commit also records when it ended.</summary>
    private static NpgsqlBatchCommand EndCommand(Guid[] ids, string status, string? reference) => Command("""
        UPDATE reservations
        SET status = @status, ended_at = CASE WHEN @status = 'committed' THEN now() ELSE ended_at END,
            reference = coalesce(@reference, reference)
        WHERE id = ANY (@ids)
        """,
        new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = status },
        new NpgsqlParameter("reference", NpgsqlDbType.Text) { Value = (object?)reference ?? DBNull.Value },
        new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });

    /// <summary>Marks committed reservations returned and answers their lines per variant.</summary>
    private static async Task<List<(int VariantId, int Quantity)>> EndReturnedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] ids, string? reference, CancellationToken cancellationToken)
    {
        var ended = new List<(int VariantId, int Quantity)>();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                EndCommand(ids, "returned", reference),
                Command("""
                    SELECT l.variant_id, sum(l.quantity)::integer
                    FROM reservation_lines l WHERE l.reservation_id = ANY (@ids)
                    GROUP BY l.variant_id
                    ORDER BY l.variant_id
                    """, new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids }),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken); // the update answers no rows: the reader starts at the lines
        while (await reader.ReadAsync(cancellationToken))
        {
            ended.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }
        return ended;
    }

    /// <summary>The variants that stop a commit: products no longer sold, and prices other than the expected ones (when given).</summary>
    private static List<CommitLineProblem> LineProblems(List<(CommittedLine Line, bool Sold)> lines, IReadOnlyDictionary<int, decimal>? prices) =>
    [
        .. lines
            .Select(l => (l.Line, l.Sold, Expected: prices is null ? l.Line.Price : prices.TryGetValue(l.Line.VariantId, out var p) ? p : (decimal?)null))
            .Where(l => !l.Sold || l.Expected != l.Line.Price)
            .Select(l => new CommitLineProblem(l.Line.VariantId, l.Line.Sku, prices is null ? null : l.Expected, l.Line.Price, l.Sold)),
    ];

    /// <summary>Puts returned lines back on hand (rows locked in id order) with a return movement each.</summary>
    private static async Task<List<VariantStock>> ApplyReturnAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(int VariantId, int Quantity)> lines,
        string? reference, string actor, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("SELECT id FROM variants WHERE id = ANY (@ids) ORDER BY id FOR UPDATE",
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.VariantId).ToArray() }),
                Command("""
                    WITH changed AS (
                        UPDATE variants v
                        SET on_hand = v.on_hand + line.quantity,
                            units_sold = greatest(0, v.units_sold - line.quantity),
                            updated_at = now()
                        FROM unnest(@ids::integer[], @quantities::integer[]) AS line(variant_id, quantity)
                        WHERE v.id = line.variant_id
                        RETURNING v.id, v.product_id, v.sku, v.on_hand, v.reserved, line.quantity
                    ),
                    returns AS (
                        INSERT INTO stock_movements (variant_id, kind, quantity, on_hand_after, reason, reference, actor)
                        SELECT id, 'return', quantity, on_hand, 'Order cancelled: committed reservation returned', @reference, @actor
                        FROM changed
                    )
                    SELECT id, product_id, sku, on_hand, reserved, quantity FROM changed ORDER BY id
                    """,
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.VariantId).ToArray() },
                    new NpgsqlParameter("quantities", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.Quantity).ToArray() },
                    new NpgsqlParameter("reference", NpgsqlDbType.Text) { Value = (object?)reference ?? DBNull.Value },
                    new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = actor }),
            },
        };
        return await ReadChangesAsync(batch, sale: false, cancellationToken);
    }

    /// <summary>A reservation with this id exists: it answers when it is the same request (a retry), else the id is in use.</summary>
    private async Task<ReservationOutcome> AnswerExistingAsync(
        Guid id, string owner, IReadOnlyList<(int VariantId, int Quantity)> lines, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) switch
        {
            null => new ReservationOutcome(ReservationResult.Conflict, Message: "The reservation id is in use."),
            var existing when existing.Owner == owner && existing.Lines.Select(l => (l.VariantId, l.Quantity)).SequenceEqual(lines) =>
                new ReservationOutcome(ReservationResult.AlreadyExists, existing),
            var existing => new ReservationOutcome(ReservationResult.Conflict, existing, Message: "A different reservation already has this id."),
        };

    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    [LoggerMessage(LogLevel.Debug, "Reserved {Quantity} units on {Lines} lines for {Owner} (reservation {ReservationId})")]
    private partial void LogReserved(Guid reservationId, string owner, int quantity, int lines);

    [LoggerMessage(LogLevel.Debug, "Reservation {ReservationId} {Status}: {Lines} lines")]
    private partial void LogEnded(Guid reservationId, string status, int lines);

    [LoggerMessage(LogLevel.Debug, "{Count} reservations {Status}: {Variants} variants changed")]
    private partial void LogEndedMany(int count, string status, int variants);

    [LoggerMessage(LogLevel.Information, "Released {Count} expired reservations ({Quantity} units)")]
    private partial void LogExpired(int count, int quantity);

    [LoggerMessage(LogLevel.Warning, "Stock transaction failed with {SqlState}; retrying (attempt {Attempt})")]
    private partial void LogRetrying(string sqlState, int attempt);
}
