namespace CatalogApi.Model;

// Shapes of /api/stock: stock levels and movements (admins), reservations (OrderingApi's service identity).

/// <summary>Sets on hand to a counted value (an adjustment movement of the difference).</summary>
public sealed record SetStockRequest(int? OnHand, string? Reason);

/// <summary>Adds to (or takes from) on hand: kind receipt, adjustment or return; quantity signed for adjustments.</summary>
public sealed record AdjustStockRequest(int? Quantity, string? Kind, string? Reason, string? Reference);

public sealed record StockMovementResponse(
    long Id,
    string Kind,
    int Quantity,
    int OnHandAfter,
    string? Reason,
    string? Reference,
    string Actor,
    DateTimeOffset CreatedAt);

public sealed record StockLevelResponse(
    int VariantId,
    int ProductId,
    string Sku,
    int OnHand,
    int Reserved,
    int Available,
    int ReorderPoint,
    int LeadTimeDays,
    IReadOnlyList<StockMovementResponse> Movements);

public sealed record LowStockItem(
    int VariantId,
    int ProductId,
    string ProductName,
    string Sku,
    IReadOnlyDictionary<string, string> Options,
    int OnHand,
    int Reserved,
    int Available,
    int ReorderPoint,
    int LeadTimeDays,
    int UnitsSold);

public sealed record LowStockPage(IReadOnlyList<LowStockItem> Items, int Total, int Page, int PageSize);

public sealed record ReservationLineInput(int? VariantId, int? Quantity);

/// <param name="Id">Optional, chosen by the caller: sending the same id again returns the first reservation instead of a second one.</param>
/// <param name="Owner">Who holds it, e.g. <c>cart:3f2a...</c> or <c>order:1042</c>.</param>
/// <param name="ExpiresInSeconds">Lifetime; the configured default (15 minutes) when left out.</param>
public sealed record CreateReservationRequest(
    Guid? Id,
    string? Owner,
    List<ReservationLineInput>? Lines,
    int? ExpiresInSeconds,
    string? Reference);

public sealed record ExtendReservationRequest(int? ExpiresInSeconds);

public sealed record CommitReservationRequest(string? Reference);

public sealed record ReservationLineResponse(int VariantId, string Sku, int Quantity);

public sealed record ReservationResponse(
    Guid Id,
    string Owner,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    string? Reference,
    IReadOnlyList<ReservationLineResponse> Lines);

/// <summary>A line that could not be reserved, in the 409 answer.</summary>
public sealed record StockShortage(int VariantId, int Requested, int Available);

/// <summary>Published on the Redis channel <c>catalog:stock</c> after every stock change.</summary>
public sealed record StockChanged(int VariantId, int ProductId, string Sku, int OnHand, int Reserved, int Available, string Change, DateTimeOffset At);

/// <summary>A variant's stock and reorder settings, for the forecaster (<c>GET /api/stock/levels</c>).</summary>
public sealed record StockLevelItem(
    int VariantId,
    int ProductId,
    string ProductName,
    string Sku,
    IReadOnlyDictionary<string, string> Options,
    int OnHand,
    int Reserved,
    int Available,
    int ReorderPoint,
    int LeadTimeDays,
    bool Archived,
    DateTimeOffset CreatedAt);

public sealed record StockLevelPage(IReadOnlyList<StockLevelItem> Items, int Total, int Page, int PageSize);

/// <summary>Several reservations at once (an order's cart lines): commit them all or none, or return committed ones.</summary>
/// <param name="Prices">
/// Commit only, optional: the unit price the buyer is being charged for each variant of the batch. The commit is refused
/// (nothing is sold) when the catalog's price is another, so a sale never happens at a price the catalog no longer has.
/// </param>
/// <param name="RequireReference">For a return: refuse it if a reservation was committed under another reference.</param>
public sealed record ReservationBatchRequest(List<Guid>? Ids, string? Reference, List<ExpectedPrice>? Prices = null, bool? RequireReference = null);

/// <summary>A committed reservation: which cart it held stock for, the sale's reference (an order number) and when.</summary>
public sealed record CommittedReservation(Guid Id, string Owner, string? Reference, DateTimeOffset CommittedAt);

/// <summary>A page of committed reservations in commit order; <c>more</c> when the next page starts after the last.</summary>
public sealed record CommittedReservationPage(IReadOnlyList<CommittedReservation> Items, bool More);

public sealed record ExpectedPrice(int? VariantId, decimal? Price);

/// <summary>A variant a commit sold, as the catalog describes it at that moment (what an order line needs).</summary>
public sealed record CommittedLine(
    int VariantId, int ProductId, string Sku, string ProductName, IReadOnlyDictionary<string, string> Options, decimal Price, int Quantity);

/// <summary>The answer to a commit: every variant of the batch and how many were sold.</summary>
public sealed record CommitReservationsResponse(IReadOnlyList<CommittedLine> Lines);

/// <summary>Why a variant stopped a commit: its price is not the expected one, or its product is no longer sold.</summary>
public sealed record CommitLineProblem(int VariantId, string Sku, decimal? ExpectedPrice, decimal Price, bool Sold);
