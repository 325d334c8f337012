namespace CatalogApi.Model;

public enum StockMovementKind
{
    Receipt,
    Sale,
    Adjustment,
    Return,
}

/// <summary>
/// The arithmetic of stock, in one place: available = on hand - reserved, never below zero; reserved never above
/// on hand. The SQL in <see cref="Services.StockService"/> and <see cref="Services.ReservationService"/> applies the
/// same rules atomically (conditional updates and a CHECK constraint); these checks turn bad requests into 400s first.
/// </summary>
public static class StockRules
{
    public const int MaxQuantity = 100_000;

    public static int Available(int onHand, int reserved) => onHand - reserved;

    public static bool CanReserve(int onHand, int reserved, int quantity) => quantity > 0 && onHand - reserved >= quantity;

    public static bool IsLow(int onHand, int reserved, int reorderPoint) => onHand - reserved <= reorderPoint;

    /// <summary>Why a movement of <paramref name="quantity"/> of <paramref name="kind"/> is not allowed, or null.</summary>
    public static string? CheckAdjustment(StockMovementKind kind, int quantity) => kind switch
    {
        StockMovementKind.Sale => "Sales are recorded by committing a reservation.",
        StockMovementKind.Receipt or StockMovementKind.Return when quantity <= 0 => "A receipt or a return adds stock: the quantity must be positive.",
        StockMovementKind.Adjustment when quantity == 0 => "An adjustment must change the stock.",
        _ when quantity is > MaxQuantity or < -MaxQuantity => $"The quantity must be within ±{MaxQuantity}.",
        _ => null,
    };

    /// <summary>Why on hand cannot become <paramref name="onHand"/> while <paramref name="reserved"/> units are held, or null.</summary>
    public static string? CheckOnHand(int onHand, int reserved) =>
        onHand < 0 ? "Stock on hand cannot be negative."
        : onHand < reserved ? $"{reserved} units are reserved: stock on hand cannot go below that."
        : null;

    public static bool TryParseKind(string? text, out StockMovementKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);

    public static string ToText(this StockMovementKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// One line per variant (quantities of repeated variants added up), in variant id order: the order in which a
    /// reservation locks rows, so two reservations of the same variants never wait on each other crosswise.
    /// </summary>
    public static IReadOnlyList<(int VariantId, int Quantity)> MergeLines(IEnumerable<(int VariantId, int Quantity)> lines) =>
        [.. lines.GroupBy(l => l.VariantId).Select(g => (g.Key, g.Sum(l => l.Quantity))).OrderBy(l => l.Key)];
}
