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
