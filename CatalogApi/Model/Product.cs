namespace CatalogApi.Model;

/// <summary>
/// What a shopper sees as one item. The things sold are its <see cref="Variants"/>, one per combination of
/// option values (Size M, Colour Red); <see cref="Options"/> lists the option types and their values in display order.
/// </summary>
public sealed class Product
{
    public int Id { get; set; }

    public required string Slug { get; set; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public int BrandId { get; set; }

    public Brand? Brand { get; set; }

    public int CategoryId { get; set; }

    public Category? Category { get; set; }

    public List<string> Tags { get; set; } = [];

    /// <summary>Keys of the generated images: a colour's slug, or <c>default</c>.</summary>
    public List<string> Images { get; set; } = [];

    /// <summary>The spec sheet's values as JSON (<c>products.specs</c>): <c>{"capacity": 3, "seasons": "3-season"}</c>.</summary>
    public string Specs { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Set when an admin archives the product: it leaves the shop and its variants cannot be reserved.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>The average of its visible reviews' stars (null: none yet), as OrderingApi last sent it.</summary>
    public decimal? RatingAverage { get; set; }

    /// <summary>How many visible reviews <see cref="RatingAverage"/> is the average of.</summary>
    public int RatingCount { get; set; }

    public List<ProductOption> Options { get; set; } = [];

    public List<Variant> Variants { get; set; } = [];
}

/// <summary>An option type of a product (Size, Colour, ...) with the values it is offered in.</summary>
public sealed class ProductOption
{
    public int ProductId { get; set; }

    public required string Name { get; set; }

    public int Position { get; set; }

    public List<string> Values { get; set; } = [];
}
