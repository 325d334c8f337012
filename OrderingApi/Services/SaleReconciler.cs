using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OrderingApi.Infrastructure;

namespace OrderingApi.Services;

/// <summary>
/// Finds sales the catalog committed whose order was never written, and puts their stock back on hand.
/// <para>
/// A checkout commits the cart's reservations in the catalog (under the new order's number), then writes the order in
/// orderingdb. If the process dies between the two, the catalog has sold the stock and no order exists. Every
/// <see cref="SaleReconcilerSettings.Interval"/>, this looks at the reservations this service committed more than
/// <see cref="SaleReconcilerSettings.Grace"/> ago (far longer than any checkout takes) and returns those that no order
/// holds. The return names the order number it found, and the catalog refuses it if a later checkout of the same cart
/// has taken the sale over meanwhile (a repeated commit moves the reservations to the new order's number).
/// </para>
/// Several instances may run it at once: a return repeats harmlessly.
/// </summary>
public sealed partial class SaleReconciler(
    IServiceScopeFactory scopeFactory,
    OrderStore store,
    IOptions<SaleReconcilerSettings> settings,
    TimeProvider timeProvider,
    ILogger<SaleReconciler> logger) : BackgroundService
{
    private const int PageSize = 500;

    /// <summary>Where the last complete run stopped: the next one starts there (the first looks back a while).</summary>
    private DateTimeOffset? _checkedUntil;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        if (!options.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e, options.Interval.TotalMinutes);
            }
        }
    }

    /// <summary>One look at the sales committed since the last run, up to the grace period ago; returns how many sales were undone.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var options = settings.Value;
        var now = timeProvider.GetUtcNow();
        var to = now - options.Grace;
        var from = _checkedUntil ?? to - options.Lookback;
        if (to <= from)
        {
            return 0;
        }
        using var activity = OrderingTelemetry.Source.StartActivity("reconcile sales");
        await using var scope = scopeFactory.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogClient>();
        var (after, afterId, undone) = (from, Guid.Empty, 0);
        while (true)
        {
            var page = await catalog.ListCommittedAsync(after, afterId, to, PageSize, cancellationToken);
            undone += await ReturnOrphansAsync(catalog, page.Items, cancellationToken);
            if (!page.More || page.Items.Count == 0)
            {
                break;
            }
            (after, afterId) = (page.Items[^1].CommittedAt, page.Items[^1].Id);
        }
        _checkedUntil = to;
        activity?.SetTag("ordering.reconcile.undone", undone);
        return undone;
    }

    private async Task<int> ReturnOrphansAsync(CatalogClient catalog, IReadOnlyList<CommittedReservation> committed, CancellationToken cancellationToken)
    {
        if (committed.Count == 0)
        {
            return 0;
        }
        // Nearly every sale has its order under the number it was committed with: one look by number.
        var numbers = committed.Select(r => r.Reference).OfType<string>().Distinct().ToArray();
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = store.DataSource.CreateCommand("SELECT number FROM orders WHERE number = ANY (@numbers)"))
        {
            command.Parameters.Add(new NpgsqlParameter("numbers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = numbers });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                known.Add(reader.GetString(0));
            }
        }
        var unknown = committed.Where(r => r.Reference is null || !known.Contains(r.Reference)).ToList();
        if (unknown.Count == 0)
        {
            return 0;
        }

        // The rest: held by no order made since (an order holds the reservations it committed).
        var held = new HashSet<Guid>();
        await using (var command = store.DataSource.CreateCommand("""
            SELECT held FROM orders, unnest(reservation_ids) AS held
            WHERE created_at >= @since AND reservation_ids && @ids
            """))
        {
            command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = unknown.Min(r => r.CommittedAt).UtcDateTime.AddDays(-1) });
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = unknown.Select(r => r.Id).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(reader.GetGuid(0));
            }
        }

        var undone = 0;
        foreach (var sale in unknown.Where(r => !held.Contains(r.Id)).GroupBy(r => r.Reference))
        {
            var ids = sale.Select(r => r.Id).ToList();
            var owner = sale.First().Owner;
            var returned = await catalog.ReturnAsync(ids, sale.Key ?? "no order", cancellationToken, requireReference: sale.Key is not null);
            if (returned.Done)
            {
                undone++;
                LogReturned(sale.Key ?? "(none)", ids.Count, owner);
            }
            else
            {
                LogTakenOver(sale.Key ?? "(none)", owner);
            }
        }
        return undone;
    }

    [LoggerMessage(LogLevel.Warning, "Sale {Number} ({Count} reservation(s) of {Owner}) has no order: its stock is back on hand")]
    private partial void LogReturned(string number, int count, string owner);

    [LoggerMessage(LogLevel.Information, "Sale {Number} of {Owner} has no order but was taken over by a later checkout: left as it is")]
    private partial void LogTakenOver(string number, string owner);

    [LoggerMessage(LogLevel.Warning, "Looking for sales without an order failed; trying again in {Minutes} minute(s)")]
    private partial void LogFailed(Exception exception, double minutes);
}
