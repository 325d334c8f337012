using System.Text.Json;
using CatalogApi.Infrastructure.Seed;
using CatalogApi.Model;
using CatalogApi.Services.Specs;

namespace CatalogApi.Tests;

/// <summary>The seeded spec sheets: complete, valid against spec-definitions.json, and consistent with names and descriptions.</summary>
public sealed class SeedSpecsTests
{
    private static readonly SeedCatalog Catalog = SeedCatalogGenerator.Generate();
    private static readonly SeedCatalog Large = SeedCatalogGenerator.Generate(3000);

    private static List<SpecDefinition> DefinitionsOf(SeedCatalog catalog, SeedProduct product)
    {
        var byId = catalog.Categories.ToDictionary(c => c.Id);
        var path = new List<string>();
        for (int? at = product.CategoryId; at is { } id; at = byId[id].ParentId)
        {
            path.Insert(0, byId[id].Slug);
        }
        return SpecSheets.ForPath(SpecSheets.FromSeedFile, path);
    }

    [Fact]
    public void Every_leaf_category_has_a_sheet_and_every_definition_is_well_formed()
    {
        var leaves = Catalog.Products.Select(p => p.CategoryId).Distinct();
        Assert.All(leaves, id => Assert.NotEmpty(DefinitionsOf(Catalog, Catalog.Products.First(p => p.CategoryId == id))));
        Assert.All(SpecSheets.FromSeedFile, d =>
        {
            Assert.Contains(d.Category, Catalog.Categories.Select(c => c.Slug));
            Assert.True(d.IsNumber ? d.Min < d.Max && d.Choices is null : d.Choices is { Count: > 1 }, d.Key);
            Assert.True(d.Sort is null or "asc" or "desc" && (d.Sort is null) == (d.SortLabel is null), d.Key);
        });
        Assert.Equal(SpecSheets.FromSeedFile.Count, SpecSheets.FromSeedFile.Select(d => (d.Category, d.Key)).Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3000)]
    public void Every_product_has_a_valid_value_for_nearly_every_spec_of_its_sheet(int size)
    {
        var catalog = size == 0 ? Catalog : Large;
        var filled = 0;
        var possible = 0;
        foreach (var product in catalog.Products)
        {
            var definitions = DefinitionsOf(catalog, product);
            var errors = new Dictionary<string, string[]>();
            var given = product.Specs.ToDictionary(s => s.Key, s => (JsonElement?)JsonSerializer.SerializeToElement<object?>(s.Value.Number is { } n ? n : s.Value.Choice));
            var values = SpecSheets.Check(definitions, given, errors);
            Assert.True(errors.Count == 0, $"{product.Name}: {string.Join("; ", errors.SelectMany(e => e.Value.Select(v => e.Key + " " + v)))}");
            Assert.Equal(product.Specs.Count, values.Count);
            filled += values.Count;
            possible += definitions.Count;
        }
        Assert.True(filled >= possible * 0.95, $"{filled} of {possible} values");
    }

    private static decimal Number(SeedProduct product, string key) => product.Specs.Single(s => s.Key == key).Value.Number!.Value;

    private static string Choice(SeedProduct product, string key) => product.Specs.Single(s => s.Key == key).Value.Choice!;

    [Fact]
    public void Tents_sleep_what_their_name_says_and_ultralight_ones_are_light()
    {
        var tents = Large.Products.Where(p => p.Name.EndsWith(" Tent", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tents);
        foreach (var tent in tents)
        {
            var persons = int.Parse(tent.Name.Split(' ').Reverse().Skip(2).First(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(persons, Number(tent, "capacity"));
        }
        var quartz = Catalog.Products.Where(p => p.Name.Contains(" 3 Dome Tent", StringComparison.Ordinal)).ToList();
        Assert.All(quartz, t => Assert.Equal(3, Number(t, "capacity")));
        var ultralight = tents.Where(t => t.Name.Contains("Ultralight", StringComparison.Ordinal)).ToList();
        var others = tents.Where(t => !t.Name.Contains("Ultralight", StringComparison.Ordinal) && !t.Tags.Contains("ultralight") && Number(t, "capacity") == 1).ToList();
        Assert.NotEmpty(ultralight);
        Assert.All(ultralight, t => Assert.InRange(Number(t, "weight"), 300, 1200));
        Assert.All(others, o => Assert.True(Number(o, "weight") > ultralight.Min(u => Number(u, "weight")), o.Name));
    }

    [Fact]
    public void Values_a_description_states_are_the_sheets_values()
    {
        foreach (var product in Large.Products)
        {
            if (product.Description.Contains("Comfort rated to -5 °C", StringComparison.Ordinal))
            {
                Assert.Equal(-5, Number(product, "comfort-temperature"));
            }
            if (product.Description.Contains("3,000 mm flysheet", StringComparison.Ordinal))
            {
                Assert.Equal(3000, Number(product, "waterproof-rating"));
            }
            if (product.Description.Contains("Weighs just 340 g", StringComparison.Ordinal))
            {
                Assert.Equal(340, Number(product, "weight"));
            }
            if (product.Name.Contains("Down Sleeping Bag", StringComparison.Ordinal) || product.Name.Contains("Down Jacket", StringComparison.Ordinal))
            {
                Assert.Equal("Down", Choice(product, product.Name.Contains("Bag", StringComparison.Ordinal) ? "fill" : "insulation"));
            }
            if (System.Text.RegularExpressions.Regex.Match(product.Name, @" (\d+) (Daypack|Hiking Pack|Expedition Pack)$") is { Success: true } pack)
            {
                Assert.Equal(decimal.Parse(pack.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Number(product, "volume"));
            }
            if (product.Name.EndsWith(" Summer Sleeping Bag", StringComparison.Ordinal) && !product.Description.Contains("Comfort rated", StringComparison.Ordinal))
            {
                Assert.True(Number(product, "comfort-temperature") > 5, product.Name);
            }
        }
    }
}
