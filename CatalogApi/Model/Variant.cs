namespace CatalogApi.Model;

/// <summary>One sellable combination of a product's option values, with its own SKU, price and stock.</summary>
public sealed class Variant
{
    public int Id { get; set; }

    public int ProductId { get; set; }

    public Product? Product { get; set; }

    public required string Sku { get; set; }

    /// <summary>One value per option type of the product: <c>{"Size": "M", "Colour": "Red"}</c>.</summary>
    public Dictionary<string, string> Options { get; set; } = [];

    public decimal Price { get; set; }

    /// <summary>Units in the warehouse, including those reserved.</summary>
    public int OnHand { get; set; }

    /// <summary>Units held by active reservations (never more than <see cref="OnHand"/>).</summary>
    public int Reserved { get; set; }

    /// <summary>At or below this many available units the variant is listed as low on stock.</summary>
    public int ReorderPoint { get; set; }

    /// <summary>Days the supplier takes to deliver a reorder.</summary>
    public int LeadTimeDays { get; set; }

    /// <summary>Committed sales minus returns (the best-selling sort).</summary>
    public int UnitsSold { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Available => OnHand - Reserved;
}
