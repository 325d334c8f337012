using System.Text.Json;
using CatalogApi.Infrastructure.Seed;

namespace CatalogApi.Tests;

public sealed class SeedCatalogTests
{
    private static readonly SeedCatalog Catalog = SeedCatalogGenerator.Generate();

    [Fact]
    public void It_is_a_shop_sized_catalog()
    {
        Assert.True(Catalog.Products.Count >= 150, $"{Catalog.Products.Count} products");
        Assert.True(Catalog.Categories.Count >= 12, $"{Catalog.Categories.Count} categories");
        Assert.True(Catalog.Brands.Count >= 15, $"{Catalog.Brands.Count} brands");
        Assert.True(Catalog.Variants.Count() > 1000, $"{Catalog.Variants.Count()} variants");
    }

    [Fact]
    public void It_is_the_same_on_every_run() =>
        Assert.Equal(JsonSerializer.Serialize(Catalog), JsonSerializer.Serialize(SeedCatalogGenerator.Generate()));

    [Fact]
    public void Names_slugs_and_skus_are_unique()
    {
        Assert.Equal(Catalog.Products.Count, Catalog.Products.Select(p => p.Name).Distinct().Count());
        Assert.Equal(Catalog.Products.Count, Catalog.Products.Select(p => p.Slug).Distinct().Count());
        Assert.Equal(Catalog.Variants.Count(), Catalog.Variants.Select(v => v.Sku).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Categories_are_nested_and_every_product_sits_in_a_leaf()
    {
        var parents = Catalog.Categories.Where(c => c.ParentId is not null).Select(c => c.ParentId!.Value).ToHashSet();
        Assert.Contains(Catalog.Categories, c => c.ParentId is { } p && Catalog.Categories.Single(x => x.Id == p).ParentId is not null);
        Assert.All(Catalog.Products, p => Assert.DoesNotContain(p.CategoryId, parents));
        Assert.Equal(Catalog.Categories.Count, Catalog.Categories.Select(c => c.Slug).Distinct().Count());
    }

    [Fact]
    public void Every_variant_has_one_value_per_option_of_its_product_and_a_realistic_price()
    {
        foreach (var product in Catalog.Products)
        {
            Assert.NotEmpty(product.Variants);
            var combinations = new HashSet<string>();
            foreach (var variant in product.Variants)
            {
                Assert.Equal(product.Options.Select(o => o.Name), variant.Options.Select(o => o.Key));
                Assert.All(variant.Options, o => Assert.Contains(o.Value, product.Options.Single(x => x.Name == o.Key).Values));
                Assert.True(combinations.Add(string.Join('|', variant.Options.Select(o => o.Value))));
                Assert.InRange(variant.Price, 5m, 5000m);
                Assert.Equal(variant.Price, decimal.Round(variant.Price, 2));
            }
        }
    }

    [Fact]
    public void Some_variants_are_low_and_some_sold_out()
    {
        var variants = Catalog.Variants.ToList();
        var soldOut = variants.Count(v => v.OnHand == 0);
        var low = variants.Count(v => v.OnHand > 0 && v.OnHand <= v.ReorderPoint);
        Assert.InRange(soldOut, variants.Count / 50, variants.Count / 5);
        Assert.InRange(low, variants.Count / 50, variants.Count / 4);
        Assert.Contains(Catalog.Products, p => p.Variants.All(v => v.OnHand == 0));
    }

    [Fact]
    public void The_stock_history_adds_up_to_the_stock_on_hand()
    {
        var movements = Catalog.Movements.ToLookup(m => m.VariantId);
        foreach (var variant in Catalog.Variants)
        {
            var history = movements[variant.Id].ToList();
            Assert.Equal(variant.OnHand, history.Sum(m => m.Quantity));
            Assert.Equal(variant.UnitsSold, -history.Where(m => m.Kind == "sale").Sum(m => m.Quantity));
            if (history.Count > 0)
            {
                Assert.Equal(variant.OnHand, history.OrderByDescending(m => m.DaysAgo).Last().OnHandAfter);
            }
        }
    }

    [Fact]
    public void Images_are_one_per_colour()
    {
        foreach (var product in Catalog.Products)
        {
            var colours = product.Options.FirstOrDefault(o => o.Name == "Colour")?.Values;
            Assert.Equal(colours?.Length ?? 1, product.Images.Length);
        }
    }
}

/// <summary>The seed at a real shop's size (Catalog:SeedProducts): the hand-made catalog plus generated products.</summary>
public sealed class LargeSeedCatalogTests
{
    private static readonly SeedCatalog HandMade = SeedCatalogGenerator.Generate();
    private static readonly SeedCatalog Catalog = SeedCatalogGenerator.Generate(20_000);

    [Fact]
    public void It_has_the_size_asked_for_and_the_hand_made_products_first_unchanged()
    {
        Assert.Equal(20_000, Catalog.Products.Count);
        Assert.Equal(HandMade.Products.Count, SeedCatalogGenerator.Generate(HandMade.Products.Count - 10).Products.Count);
        Assert.Equal(JsonSerializer.Serialize(HandMade.Products), JsonSerializer.Serialize(Catalog.Products.Take(HandMade.Products.Count)));
        Assert.Equal(JsonSerializer.Serialize(HandMade.Categories), JsonSerializer.Serialize(Catalog.Categories));
        Assert.Equal(JsonSerializer.Serialize(HandMade.Brands), JsonSerializer.Serialize(Catalog.Brands));
    }

    [Fact]
    public void It_is_the_same_on_every_run()
    {
        var again = SeedCatalogGenerator.Generate(20_000);
        Assert.Equal(Catalog.Products.Select(p => (p.Name, p.Description, p.Variants.Count)), again.Products.Select(p => (p.Name, p.Description, p.Variants.Count)));
        Assert.Equal(Catalog.Variants.Select(v => (v.Sku, v.Price, v.OnHand)), again.Variants.Select(v => (v.Sku, v.Price, v.OnHand)));
    }

    [Fact]
    public void Names_slugs_skus_and_ids_are_unique()
    {
        Assert.Equal(Catalog.Products.Count, Catalog.Products.Select(p => p.Name).Distinct().Count());
        Assert.Equal(Catalog.Products.Count, Catalog.Products.Select(p => p.Slug).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, Catalog.Products.Count), Catalog.Products.Select(p => p.Id));
        var variants = Catalog.Variants.ToList();
        Assert.Equal(Enumerable.Range(1, variants.Count), variants.Select(v => v.Id));
        Assert.Equal(variants.Count, variants.Select(v => v.Sku).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Generated_products_are_like_the_hand_made_ones_of_their_category()
    {
        var handMadeByCategory = HandMade.Products.ToLookup(p => p.CategoryId);
        var generated = Catalog.Products.Skip(HandMade.Products.Count).ToList();
        foreach (var product in generated.Take(2000))
        {
            var peers = handMadeByCategory[product.CategoryId].ToList();
            Assert.NotEmpty(peers);
            var kind = SeedCatalogData.Kinds.Single(k => k.Category == Catalog.Categories.Single(c => c.Id == product.CategoryId).Slug);
            Assert.Contains(Catalog.Brands.Single(b => b.Id == product.BrandId).Slug, kind.Brands);
            Assert.Equal(peers[0].Options.Select(o => o.Name), product.Options.Select(o => o.Name));
            Assert.Contains(peers, p => product.Name.EndsWith(p.Name.Split(' ')[^1], StringComparison.Ordinal));
            Assert.StartsWith($"The {product.Name} is ", product.Description, StringComparison.Ordinal);
            Assert.NotEmpty(product.Variants);
            Assert.All(product.Variants, v => Assert.InRange(v.Price, 5m, 5000m));
        }
        // Spread over every leaf category in about the hand-made proportions.
        foreach (var group in handMadeByCategory)
        {
            var expected = (double)group.Count() / HandMade.Products.Count * generated.Count;
            Assert.InRange(generated.Count(p => p.CategoryId == group.Key), expected * 0.8, expected * 1.2);
        }
        var perProduct = (double)Catalog.Variants.Count() / Catalog.Products.Count;
        Assert.InRange(perProduct, 2, 15);
    }
}
