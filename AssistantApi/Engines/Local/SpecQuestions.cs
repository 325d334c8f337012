using System.Text.RegularExpressions;
using AssistantApi.Model;
using AssistantApi.Plugins;
using AssistantApi.Services;

namespace AssistantApi.Engines.Local;

/// <summary>
/// The local engine's questions about specifications, answered with the Specs plugin: a search by the category's
/// sheet ("a light tent for 4 people under 300 euros": capacity 4 or more, lightest first, up to €300), a ranking of
/// the products just shown ("which of these is warmest?"), and two or more products named to compare ("compare the
/// Quartz 3 and the Aspen 4"). Rules on the message and the conversation, before the intent model's plan; the replies
/// state the values they rest on.
/// </summary>
public static partial class SpecQuestions
{
    private static readonly Dictionary<string, int> Counts = new(StringComparer.Ordinal)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8,
    };

    /// <summary>A plan for a spec question, or null when the message is not one (the usual plan then runs).</summary>
    public static Plan? Plan(Analysis analysis, CatalogSnapshot catalog, Conversation conversation, IReadOnlySet<string> tools, Func<string> intent)
    {
        var folded = Text.Fold(analysis.Text);
        var quality = Quality(folded);

        // "Compare the Quartz 3 and the Aspen 4", "the Quartz 3 or the Aspen 4?": two or more products named.
        if (tools.Contains("compare_products") && CompareWords().IsMatch(folded) && Named(analysis.Text, catalog) is { Count: >= 2 } named)
        {
            return new Plan("compare_specs", "compare_products", Given(new() { ["productIds"] = named.Select(p => p.Id).ToArray(), ["quality"] = quality }));
        }
        // "Which of these is warmest?": the products just shown, ranked by that quality.
        if (tools.Contains("compare_products") && quality is not null && Superlative(folded) && conversation.LastResults.Count >= 2
            && analysis.Product is null && analysis.Category is null && analysis.Picks is null)
        {
            return new Plan("spec_rank", "compare_products", new()
            {
                ["productIds"] = conversation.LastResults.Take(SpecsPlugin.MaxResults).Select(r => r.ProductId).ToArray(),
                ["quality"] = quality,
            });
        }
        // "A light tent for 4 people under 300 euros": a category searched by its sheet.
        // (A light wish the catalog's words do not carry, or a superlative: "waterproof jacket" and "ultralight tent" stay word searches.)
        var persons = Persons(folded);
        var light = analysis.Unsupported?.Any(u => u.StartsWith("weight", StringComparison.Ordinal)) == true;
        if (tools.Contains("search_by_specs") && analysis.Category is { } category && analysis.Product is null
            && (persons is not null || light || quality is not null && Superlative(folded)) && intent() == "search")
        {
            return new Plan("search", "search_by_specs", Given(new()
            {
                ["category"] = category.Name,
                ["persons"] = persons,
                ["sortBy"] = quality,
                ["minPrice"] = analysis.MinPrice,
                ["maxPrice"] = analysis.MaxPrice,
            }));
        }
        return null;
    }

    private static Dictionary<string, object?> Given(Dictionary<string, object?> arguments) =>
        arguments.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value);

    /// <summary>"For 4 people", "a 3-person tent", "sleeps two": how many.</summary>
    public static int? Persons(string folded) =>
        PersonsPattern().Match(folded) is { Success: true } m
            ? int.TryParse(m.Groups["n"].Value, out var n) ? n : Counts.GetValueOrDefault(m.Groups["n"].Value)
            : null;

    /// <summary>The first quality word the Specs plugin knows ("lightest", "warm").</summary>
    public static string? Quality(string folded) =>
        Text.Tokenize(folded).Select(t => t.Text).FirstOrDefault(SpecsPlugin.IsQuality);

    private static bool Superlative(string folded) => SuperlativePattern().IsMatch(folded);

    /// <summary>
    /// The products a message names, each part between "and", "or", "vs", commas on its own: a product whose name holds
    /// every word of the part (numbers included, so "Quartz 3" is the Quartz 3 Dome Tent), else the extractor's match.
    /// </summary>
    public static List<IndexedProduct> Named(string message, CatalogSnapshot catalog)
    {
        var found = new List<IndexedProduct>();
        foreach (var part in Separators().Split(Text.Fold(message)))
        {
            var words = Text.Tokenize(part).Select(t => t.Text).Where(w => !Filler.Contains(w)).ToList();
            if (words.Count == 0)
            {
                continue;
            }
            var holding = catalog.Products.Where(p => Text.Tokenize(Text.Fold(p.Name)).Select(t => t.Text).ToHashSet() is var name && words.All(name.Contains)).ToList();
            var product = holding.Count == 1 ? holding[0] : EntityExtractor.Analyze(part, catalog).Product;
            if (product is not null && found.All(f => f.Id != product.Id))
            {
                found.Add(product);
            }
        }
        return found;
    }

    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "compare", "comparing", "comparison", "the", "a", "an", "between", "which", "is", "better", "difference", "differences", "what", "whats",
        "s", "please", "can", "you", "me", "how", "do", "does", "they", "it", "tent", "please", "one",
    };

    /// <summary>The search's reply: what was applied, then each product with the values it was chosen by, and what could not be applied.</summary>
    public static string SearchReply(SpecSearchResult result)
    {
        var category = result.Category.ToLowerInvariant();
        var what = result.Applied.Count == 0 ? category : $"{category}, {string.Join(", ", result.Applied)}";
        var text = result.Products.Count == 0
            ? $"I found no {what}."
            : $"Here {(result.Total == 1 ? "is the one" : $"are {(result.Total > result.Products.Count ? $"the first {result.Products.Count} of {result.Total}" : $"all {result.Total}")}")} {what}:\n"
                + string.Join('\n', result.Products.Select((p, i) => $"{i + 1}. {p.Product.Name}, {ReplyWriter.Money(p.Product.PriceFrom)}{Values(p)}"));
        if (result.NotApplied.Count > 0)
        {
            text += $"\nI can't filter {category} by {string.Join(" or ", result.NotApplied)}: their specifications don't say.";
        }
        return text;
    }

    /// <summary>The comparison's reply: the best by the quality asked about (with the others' values), or every product's sheet and where they differ.</summary>
    public static string CompareReply(SpecComparison result)
    {
        if (result.Best is { } best)
        {
            var others = result.Products.Where(p => p.Product.ProductId != best.ProductId)
                .Select(p => $"{p.Product.Name} {p.Specs.FirstOrDefault(s => s.Label == best.Label)?.Display ?? "not given"}");
            return $"The {best.Order.Replace(" first", "", StringComparison.Ordinal).ToLowerInvariant()} is the {best.Name}: {best.Label.ToLowerInvariant()} {best.Display}. "
                + $"The others: {string.Join("; ", others)}.";
        }
        var text = string.Join('\n', result.Products.Select(p => $"- {p.Product.Name}, {ReplyWriter.Money(p.Product.PriceFrom)}{Values(p)}"));
        text += result.Differences.Count == 0
            ? "\nTheir specifications are the same."
            : $"\nThey differ in {string.Join(", ", result.Differences.Select(d => d.ToLowerInvariant()))}.";
        if (result.NotApplied is { } quality)
        {
            text += $"\nTheir specifications say nothing about \"{quality}\".";
        }
        return text;
    }

    private static string Values(SpecHit hit) =>
        hit.Specs.Count == 0 ? "" : ": " + string.Join(", ", hit.Specs.Select(s => $"{s.Label.ToLowerInvariant()} {s.Display}"));

    [GeneratedRegex(@"\b(?:for|sleeps?|sleeping)?\s*(?<n>\d{1,2}|one|two|three|four|five|six|seven|eight)[\s-]*(?:people|persons?|adults|campers|man|men)\b")]
    private static partial Regex PersonsPattern();

    [GeneratedRegex(@"\b(\w+est|most \w+|best)\b")]
    private static partial Regex SuperlativePattern();

    [GeneratedRegex(@"\b(compare\w*|comparison|vs|versus|difference|differ\w*)\b")]
    private static partial Regex CompareWords();

    [GeneratedRegex(@"\band\b|\bor\b|\bvs\b|\bversus\b|\bwith\b|\bto\b|,|;|\?")]
    private static partial Regex Separators();
}
