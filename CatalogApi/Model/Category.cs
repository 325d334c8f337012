namespace CatalogApi.Model;

/// <summary>A node of the category tree (Clothing > Jackets > Rain Jackets). Products sit in any node, usually a leaf.</summary>
public sealed class Category
{
    public int Id { get; set; }

    public int? ParentId { get; set; }

    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>Order among its siblings.</summary>
    public int Position { get; set; }
}
