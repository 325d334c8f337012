using System.Text.RegularExpressions;
using CatalogApi.Services;
using CatalogApi.Services.Specs;
using static CatalogApi.Infrastructure.Seed.SeedCatalogData;

namespace CatalogApi.Infrastructure.Seed;

internal sealed record SeedCategory(int Id, int? ParentId, string Slug, string Name, int Position);

internal sealed record SeedBrand(int Id, string Slug, string Name);

internal sealed record SeedOption(string Name, int Position, string[] Values);

internal sealed record SeedVariant(
    int Id, int ProductId, string Sku, IReadOnlyList<KeyValuePair<string, string>> Options, decimal Price,
    int OnHand, int ReorderPoint, int LeadTimeDays, int UnitsSold);

internal sealed record SeedProduct(
    int Id, string Slug, string Name, string Description, int BrandId, int CategoryId, string[] Tags, string[] Images,
    int AgeDays, IReadOnlyList<SeedOption> Options, IReadOnlyList<SeedVariant> Variants,
    IReadOnlyList<KeyValuePair<string, SpecValue>> Specs);

/// <summary>A stock movement of the seeded history; <see cref="DaysAgo"/> counts back from the time of seeding.</summary>
internal sealed record SeedMovement(int VariantId, string Kind, int Quantity, int OnHandAfter, string Reason, double DaysAgo);

internal sealed record SeedCatalog(
    IReadOnlyList<SeedCategory> Categories,
    IReadOnlyList<SeedBrand> Brands,
    IReadOnlyList<SeedProduct> Products,
    IReadOnlyList<SeedMovement> Movements)
{
    public IEnumerable<SeedVariant> Variants => Products.SelectMany(p => p.Variants);
}

/// <summary>
/// Builds the seeded catalog from <see cref="SeedCatalogData"/>: the same products, variants, prices and stock on
/// every run (one fixed random seed), with some variants low on stock and some sold out, and a sales history
/// (receipt then sales movements) that the best-selling sort reads.
/// </summary>
internal static partial class SeedCatalogGenerator
{
    public const int RandomSeed = 20261121;

    private static readonly string[] Adjectives = ["lightweight", "hard-wearing", "versatile", "dependable", "technical", "comfortable", "well-made", "no-nonsense"];

    private static readonly string[] Closings =
    [
        "Backed by our two-year guarantee.",
        "Designed and tested by our team in the Lake District and the Alps.",
        "Covered by a lifetime repair service.",
        "Made in a factory audited for fair working conditions.",
        "A favourite of our staff for good reason.",
        "Built to last for seasons, not months.",
    ];

    /// <summary>Model editions of generated products: "Northridge Talus Pro 2 Backpacking Tent" (hand-made names have none).</summary>
    private static readonly string[] Editions =
    [
        "Pro", "Lite", "SL", "XT", "Plus", "Evo", "Max", "Ultra", "II", "III", "IV", "Trail", "Alpine", "Sport", "Tour",
        "Classic", "Elite", "Flex", "Air", "Storm", "Hybrid", "Eco", "Race", "Expedition",
    ];

    /// <summary>
    /// The hand-made catalog, plus generated products up to <paramref name="products"/> in all (0, or any number up to
    /// the hand-made count, gives the hand-made catalog alone). Deterministic: the same size gives the same catalog,
    /// and the hand-made products are the same whatever the size.
    /// </summary>
    public static SeedCatalog Generate(int products = 0)
    {
        var catalog = GenerateHandMade();
        return products > catalog.Products.Count ? AddGenerated(catalog, products) : catalog;
    }

    private static SeedCatalog GenerateHandMade()
    {
        var random = new Random(RandomSeed);

        var categories = Categories
            .Select((c, i) => (Seed: c, Id: i + 1))
            .ToList();
        var categoryIds = categories.ToDictionary(c => c.Seed.Slug, c => c.Id);
        var seedCategories = categories
            .Select(c => new SeedCategory(c.Id, c.Seed.Parent is null ? null : categoryIds[c.Seed.Parent], c.Seed.Slug, c.Seed.Name,
                Position: categories.Where(o => o.Seed.Parent == c.Seed.Parent).TakeWhile(o => o.Id != c.Id).Count()))
            .ToList();

        var brands = Brands.Select((b, i) => (Seed: b, Id: i + 1)).ToDictionary(b => b.Seed.Slug);
        var seedBrands = brands.Values.Select(b => new SeedBrand(b.Id, b.Seed.Slug, b.Seed.Name)).ToList();

        // Each brand's model names in its own shuffled order, so a (brand, model) pair names one product only.
        var models = brands.Keys.ToDictionary(slug => slug, _ => new Queue<string>(Shuffle(random, Models)));

        var products = new List<SeedProduct>();
        var movements = new List<SeedMovement>();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var variantId = 0;

        foreach (var kind in Kinds)
        {
            for (var i = 0; i < kind.Count; i++)
            {
                var brand = brands[kind.Brands[i % kind.Brands.Length]];
                var noun = kind.Nouns[i % kind.Nouns.Length];
                var name = $"{brand.Seed.Name} {models[brand.Seed.Slug].Dequeue()} {noun}";
                products.Add(MakeProduct(random, kind, brand.Seed, brand.Id, categoryIds[kind.Category], products.Count + 1, name, noun, slugs, movements, ref variantId));
            }
        }

        return new SeedCatalog(seedCategories, seedBrands, products, movements);
    }

    /// <summary>
    /// Products beyond the hand-made ones, spread over the leaf categories in the hand-made proportions, each a
    /// hand-made kind's brand, model, edition and noun (a name no other product has), built like the hand-made ones.
    /// </summary>
    private static SeedCatalog AddGenerated(SeedCatalog handMade, int total)
    {
        var random = new Random(RandomSeed + total);
        var products = new List<SeedProduct>(total);
        products.AddRange(handMade.Products);
        var movements = new List<SeedMovement>(handMade.Movements);
        var names = products.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var slugs = products.Select(p => p.Slug).ToHashSet(StringComparer.Ordinal);
        var variantId = products[^1].Variants[^1].Id;
        var brands = Brands.Select((b, i) => (Seed: b, Id: i + 1)).ToDictionary(b => b.Seed.Slug);
        var categoryIds = handMade.Categories.ToDictionary(c => c.Slug, c => c.Id);
        var weights = Kinds.Select(k => k.Count).ToArray();
        var weightSum = weights.Sum();

        while (products.Count < total)
        {
            var pick = random.Next(weightSum);
            var kindIndex = 0;
            while (pick >= weights[kindIndex])
            {
                pick -= weights[kindIndex++];
            }
            var kind = Kinds[kindIndex];
            var brand = brands[kind.Brands[random.Next(kind.Brands.Length)]];
            var noun = kind.Nouns[random.Next(kind.Nouns.Length)];
            var model = Models[random.Next(Models.Length)];
            var name = $"{brand.Seed.Name} {model} {Editions[random.Next(Editions.Length)]} {noun}";
            for (var series = 2; names.Contains(name); series++)
            {
                name = $"{brand.Seed.Name} {model} {Editions[random.Next(Editions.Length)]} {series} {noun}";
            }
            names.Add(name);
            products.Add(MakeProduct(random, kind, brand.Seed, brand.Id, categoryIds[kind.Category], products.Count + 1, name, noun, slugs, movements, ref variantId));
        }
        return handMade with { Products = products, Movements = movements };
    }

    private static SeedProduct MakeProduct(
        Random random, KindSeed kind, BrandSeed brand, int brandId, int categoryId, int productId, string name, string noun,
        HashSet<string> slugs, List<SeedMovement> movements, ref int variantId)
    {
        var slug = Slug.Unique(Slug.From(name), slugs.Contains);
        slugs.Add(slug);

        var options = kind.Options
            .Select((o, position) => new SeedOption(o.Name, position, PickValues(random, o)))
            .ToList();
        var basePrice = PrettyPrice(kind.MinPrice + (kind.MaxPrice - kind.MinPrice) * (decimal)Math.Pow(random.NextDouble(), 1.4));
        var ageDays = random.Next(2, 730);
        var popularity = Math.Pow(random.NextDouble(), 2.5);
        var soldOut = random.NextDouble() < 0.04;

        var variants = new List<SeedVariant>();
        foreach (var combination in Combinations(options))
        {
            if (variants.Count > 0 && random.NextDouble() < kind.ComboDropRate)
            {
                continue; // not every combination is sold
            }
            variantId++;
            var price = basePrice + combination.Sum(pair => Step(kind, pair.Key, pair.Value));
            var reorderPoint = Math.Max(1, kind.ReorderPoint + random.Next(-1, 2));
            var onHand = soldOut ? 0 : StockLevel(random, kind.StockMax, reorderPoint);
            var unitsSold = (int)Math.Round(popularity * kind.StockMax * 2 * (0.3 + 0.7 * random.NextDouble()));
            var sku = $"{brand.Code}-{productId:D4}-{string.Join('-', combination.Select(pair => SkuPart(pair.Value)))}";
            var variant = new SeedVariant(variantId, productId, sku, combination, price, onHand, reorderPoint,
                LeadTimeDays: Math.Max(3, brand.LeadTimeDays + random.Next(-5, 8)), unitsSold);
            variants.Add(variant);
            AddHistory(random, movements, variant, ageDays);
        }

        var colours = options.FirstOrDefault(o => o.Name == "Colour")?.Values;
        var description = Describe(random, kind, name, noun);
        var tags = Tags(random, kind, ageDays);
        return new SeedProduct(
            productId, slug, name,
            description,
            brandId,
            categoryId,
            tags,
            Images: colours is null ? ["default"] : [.. colours.Select(Slug.From)],
            ageDays, options, variants,
            SeedSpecs.For(kind.Category, name, noun, description, tags, basePrice, productId));
    }

    private static string[] PickValues(Random random, OptionSeed option)
    {
        var count = Math.Min(option.Pool.Length, random.Next(option.MinPick, option.MaxPick + 1));
        if (option.Contiguous)
        {
            var start = random.Next(0, option.Pool.Length - count + 1);
            return option.Pool[start..(start + count)];
        }
        var chosen = Shuffle(random, option.Pool).Take(count).ToHashSet();
        return [.. option.Pool.Where(chosen.Contains)];
    }

    private static List<List<KeyValuePair<string, string>>> Combinations(IReadOnlyList<SeedOption> options)
    {
        var combinations = new List<List<KeyValuePair<string, string>>> { new() };
        foreach (var option in options)
        {
            combinations = [.. combinations.SelectMany(c => option.Values.Select(v => new List<KeyValuePair<string, string>>(c) { new(option.Name, v) }))];
        }
        return combinations;
    }

    private static decimal Step(KindSeed kind, string optionName, string value)
    {
        var option = kind.Options.First(o => o.Name == optionName);
        return option.PriceSteps is { } steps ? steps[Array.IndexOf(option.Pool, value)] : 0m;
    }

    /// <summary>Prices as shops write them: 9.99, 24.99, 149.99, 1,249.99.</summary>
    internal static decimal PrettyPrice(decimal raw)
    {
        var step = raw switch { < 20m => 1m, < 200m => 5m, < 1000m => 10m, _ => 50m };
        var rounded = Math.Max(step, Math.Round(raw / step, MidpointRounding.AwayFromZero) * step);
        return rounded - 0.01m;
    }

    /// <summary>About 6% sold out, 10% at or below the reorder point, the rest comfortably stocked.</summary>
    private static int StockLevel(Random random, int stockMax, int reorderPoint)
    {
        var roll = random.NextDouble();
        if (roll < 0.06)
        {
            return 0;
        }
        if (roll < 0.16)
        {
            return random.Next(1, reorderPoint + 1);
        }
        return random.Next(reorderPoint + 2, Math.Max(reorderPoint + 3, stockMax + 1));
    }

    private static void AddHistory(Random random, List<SeedMovement> movements, SeedVariant variant, int ageDays)
    {
        var received = variant.OnHand + variant.UnitsSold;
        if (received == 0)
        {
            return;
        }
        movements.Add(new SeedMovement(variant.Id, "receipt", received, received, "Opening stock", ageDays));
        var onHand = received;
        var sales = Math.Min(variant.UnitsSold, random.Next(1, 4));
        var remaining = variant.UnitsSold;
        var days = Enumerable.Range(0, sales).Select(_ => random.NextDouble() * ageDays).OrderDescending().ToList();
        for (var s = 0; s < sales; s++)
        {
            var quantity = s == sales - 1 ? remaining : Math.Max(1, remaining / (sales - s));
            remaining -= quantity;
            onHand -= quantity;
            movements.Add(new SeedMovement(variant.Id, "sale", -quantity, onHand, "Sales before opening the online shop", days[s]));
        }
    }

    private static string Describe(Random random, KindSeed kind, string name, string noun)
    {
        var features = Shuffle(random, kind.Features).Take(3).Select(f => f + ".");
        var adjective = Adjectives[random.Next(Adjectives.Length)];
        var use = kind.Uses[random.Next(kind.Uses.Length)];
        var closing = Closings[random.Next(Closings.Length)];
        var article = "aeiou".Contains(adjective[0]) ? "an" : "a";
        return $"The {name} is {article} {adjective} {DescribeNoun(noun)} made for {use}. {string.Join(' ', features)} {closing}";
    }

    /// <summary>"2 Backpacking Tent" reads "backpacking tent" in a sentence; "3L Shell Jacket" keeps "3L".</summary>
    private static string DescribeNoun(string noun) =>
        string.Join(' ', noun.Split(' ')
            .Where(word => !NumberWord().IsMatch(word))
            .Select(word => word.Any(char.IsDigit) || word.All(c => !char.IsLetter(c) || char.IsUpper(c)) && word.Length > 1 ? word : word.ToLowerInvariant()));

    private static string[] Tags(Random random, KindSeed kind, int ageDays)
    {
        var tags = new List<string>(kind.Tags);
        tags.AddRange(Shuffle(random, kind.ExtraTags).Take(random.Next(1, 3)));
        if (ageDays < 45)
        {
            tags.Add("new");
        }
        return [.. tags.Distinct()];
    }

    private static string SkuPart(string value) => Slug.From(value).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    private static List<T> Shuffle<T>(Random random, IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    [GeneratedRegex(@"^[\d.]+$")]
    private static partial Regex NumberWord();
}
