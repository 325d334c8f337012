using AssistantApi.Engines.Local;

namespace AssistantApi.Tools;

/// <summary>Picks a product's variants by a colour and a size as people say them ("green", "medium", "size 42").</summary>
public static class VariantMatcher
{
    public static string? Option(CatalogVariant variant, string name) =>
        variant.Options.FirstOrDefault(o => string.Equals(o.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>"Red / M" for a variant's options (in the catalog's order).</summary>
    public static string Describe(IReadOnlyDictionary<string, string>? options) =>
        options is null ? "" : string.Join(" / ", options.Values);

    /// <summary>
    /// The variants of that colour and size (either may be null: any). When the product has no such colour or size,
    /// nothing matches and <paramref name="note"/> says which values it does come in.
    /// </summary>
    public static List<CatalogVariant> Filter(IReadOnlyList<CatalogVariant> variants, string? color, string? size, out string? note)
    {
        note = null;
        var result = variants.ToList();
        if (!string.IsNullOrWhiteSpace(color))
        {
            var colours = result.Select(v => Option(v, "Colour") ?? Option(v, "Color")).OfType<string>().Distinct().ToList();
            var chosen = Choose(colours, color, ColorAliases);
            if (chosen.Count == 0)
            {
                note = colours.Count == 0 ? "This product does not come in different colours." : $"It does not come in {color.Trim()}; colours: {string.Join(", ", colours)}.";
                return [];
            }
            result = [.. result.Where(v => chosen.Contains(Option(v, "Colour") ?? Option(v, "Color") ?? ""))];
        }
        if (!string.IsNullOrWhiteSpace(size))
        {
            var sizes = result.Select(v => Option(v, "Size")).OfType<string>().Distinct().ToList();
            var chosen = Choose(sizes, size, SizeAliases);
            if (chosen.Count == 0)
            {
                note = sizes.Count == 0 ? "This product does not come in sizes." : $"It does not come in size {size.Trim()}{(color is null ? "" : " in that colour")}; sizes: {string.Join(", ", sizes)}.";
                return [];
            }
            result = [.. result.Where(v => chosen.Contains(Option(v, "Size") ?? ""))];
        }
        return result;
    }

    private static readonly Dictionary<string, string> ColorAliases = new(StringComparer.Ordinal)
    {
        ["gray"] = "grey", ["dark grey"] = "charcoal", ["dark gray"] = "charcoal", ["beige"] = "sand", ["khaki"] = "olive",
        ["light blue"] = "sky blue", ["maroon"] = "burgundy", ["violet"] = "purple", ["dark blue"] = "navy", ["navy blue"] = "navy",
    };

    private static readonly Dictionary<string, string> SizeAliases = new(StringComparer.Ordinal)
    {
        ["extra small"] = "xs", ["small"] = "s", ["medium"] = "m", ["large"] = "l", ["extra large"] = "xl", ["xxl"] = "xxl",
        ["2xl"] = "xxl", ["double extra large"] = "xxl",
    };

    /// <summary>The values equal to what was asked (after aliases), else those containing it as a word, else a close typo.</summary>
    private static HashSet<string> Choose(List<string> values, string asked, Dictionary<string, string> aliases)
    {
        var wanted = Text.Fold(asked.Trim());
        if (wanted.StartsWith("size ", StringComparison.Ordinal))
        {
            wanted = wanted[5..].Trim();
        }
        wanted = aliases.GetValueOrDefault(wanted, wanted);
        var exact = values.Where(v => Text.Fold(v) == wanted).ToHashSet();
        if (exact.Count > 0)
        {
            return exact;
        }
        var wantedWords = Text.Tokenize(wanted).Select(t => t.Text).ToList();
        var containing = values.Where(v => wantedWords.Count > 0
            && wantedWords.All(w => Text.Tokenize(v).Any(t => t.Text == w))).ToHashSet();
        if (containing.Count > 0 || wanted.Length <= 3)
        {
            return containing;
        }
        return values.Where(v => Text.Matches(wanted, Text.Fold(v))).ToHashSet();
    }
}
