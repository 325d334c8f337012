using System.Globalization;
using System.Text.RegularExpressions;
using AssistantApi.Services;
using AssistantApi.Tools;

namespace AssistantApi.Engines.Local;

/// <summary>What a message mentions: products, categories, brands, options, numbers, and a slot-word text for the classifier.</summary>
public sealed record Analysis(
    string Text,
    string Delexicalized,
    IndexedProduct? Product,
    IReadOnlyList<IndexedProduct> Candidates,
    IndexedTerm? Category,
    IndexedTerm? Brand,
    string? Color,
    string? Size,
    int? Quantity,
    decimal? MinPrice,
    decimal? MaxPrice,
    string? Sort,
    string? OrderReference,
    string? PolicyTopic,
    int? HorizonDays,
    int? Ordinal,
    bool RefersBack,
    string? SearchText,
    string? UnknownName = null,
    IReadOnlyList<string>? Unsupported = null,
    IReadOnlyList<int>? Picks = null)
{
    public bool HasOptions => Color is not null || Size is not null;
}

/// <summary>
/// Pulls entities out of a message against the live catalog: products by fuzzy name match (typos allowed, rare words
/// like model names weigh most), categories, brands, colours, sizes, quantities, prices, order numbers, forecast
/// horizons and references to earlier results ("the second one", "it").
/// </summary>
public static partial class EntityExtractor
{
    private static readonly string[] BasicColors =
    [
        "black", "white", "grey", "gray", "red", "orange", "yellow", "green", "blue", "navy", "purple", "pink", "brown", "teal",
        "olive", "sand", "charcoal", "coral", "burgundy", "sage", "beige", "khaki", "sky blue", "forest green",
    ];

    private static readonly Dictionary<string, string> SizeWords = new(StringComparer.Ordinal)
    {
        ["xs"] = "XS", ["xl"] = "XL", ["xxl"] = "XXL", ["2xl"] = "XXL", ["s/m"] = "S/M", ["m/l"] = "M/L", ["l/xl"] = "L/XL",
        ["small"] = "S", ["medium"] = "M", ["large"] = "L",
    };

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8,
        ["nine"] = 9, ["ten"] = 10, ["pair"] = 1, ["couple"] = 2,
    };

    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.Ordinal)
    {
        ["first"] = 0, ["1st"] = 0, ["second"] = 1, ["2nd"] = 1, ["third"] = 2, ["3rd"] = 2, ["fourth"] = 3, ["4th"] = 3,
        ["fifth"] = 4, ["5th"] = 4, ["last"] = -1,
    };

    /// <summary>Words that say what to do, not what to look for: left out of search text.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "i", "im", "me", "my", "mine", "we", "us", "our", "you", "your", "yours", "a", "an", "the", "some", "any", "anything", "something",
        "do", "does", "did", "have", "has", "had", "got", "get", "is", "are", "was", "be", "am", "of", "for", "to", "in", "on", "at", "with",
        "and", "or", "it", "this", "that", "these", "those", "them", "what", "which", "who", "where", "when", "how", "show", "find", "search",
        "looking", "look", "need", "want", "wanna", "like", "would", "could", "can", "please", "sell", "selling", "carry", "stock", "stuff",
        "thing", "things", "item", "items", "product", "products", "buy", "under", "below", "over", "above", "less", "more", "than", "between",
        "cheap", "cheapest", "cheaper", "expensive", "priciest", "price", "priced", "lowest", "highest", "best", "selling", "popular", "newest",
        "latest", "new", "dollar", "dollars", "euro", "euros", "eur", "usd", "budget", "affordable", "from", "by", "brand", "hey", "hi", "hello",
        "there", "up", "max", "maximum", "least", "around", "about", "tell", "list", "browse", "offer", "range", "available", "all", "everything",
        "kind", "kinds", "type", "types", "one", "ones", "much", "many", "cost", "costs", "sale", "shop", "store", "let", "see", "am", "after",
        "got", "gotten", "just", "really", "nothing", "new", "update", "size", "sizes", "colour", "color", "colours", "colors", "very", "good", "great", "nice", "recommend", "suggest", "options", "option", "other", "else", "also",
    };

    public static Analysis Analyze(string message, CatalogSnapshot catalog)
    {
        var tokens = Text.Tokenize(message);
        var used = new bool[tokens.Count];
        var slots = new string?[tokens.Count];

        var (product, candidates) = MatchProduct(tokens, catalog, used, slots);
        // "The Glacier Max 5000": a name the shopper wrote that is not (all) the product it resembles is not that product.
        var unknownName = candidates.Count == 0 ? MatchUnknownName(message, catalog, product) : null;
        if (unknownName is not null)
        {
            product = null;
        }
        var category = MatchTerm(tokens, catalog.Categories, used, slots, Slots.Category, minWordLength: 3);
        var brand = MatchTerm(tokens, catalog.Brands, used, slots, Slots.Brand, minWordLength: 3);
        var color = MatchColor(tokens, catalog, used, slots);
        var folded = Text.Fold(message);
        var size = MatchSize(message, tokens, used, slots);
        var (minPrice, maxPrice) = MatchPrices(folded, tokens, used, slots);
        var orderReference = MatchOrder(message, tokens, used, slots);
        var horizon = MatchHorizon(folded, tokens, used, slots);
        var unsupported = MatchUnsupported(tokens, catalog, used, slots);
        var quantity = MatchQuantity(tokens, used, slots);

        // Whatever numbers are left are still numbers to the classifier.
        for (var i = 0; i < tokens.Count; i++)
        {
            if (slots[i] is null && tokens[i].Text.All(char.IsDigit))
            {
                slots[i] = Slots.Number;
            }
        }
        var delexicalized = string.Join(' ', Collapse(tokens, slots));
        int? ordinal = null;
        foreach (var token in tokens)
        {
            if (Ordinals.TryGetValue(token.Text, out var value) && (token.Text != "last" || tokens.Any(t => t.Text is "one" or "result" or "product")))
            {
                ordinal = value;
                break;
            }
        }
        var refersBack = tokens.Any(t => t.Text is "it" or "this" or "that" or "them" or "these" or "those" or "its" or "same");
        var searchWords = tokens.Where((t, i) => !used[i] && !StopWords.Contains(t.Text) && !t.Text.All(char.IsDigit) && !Ordinals.ContainsKey(t.Text))
            .Select(t => t.Text).ToList();

        return new Analysis(message, delexicalized, product, candidates, category, brand, color, size, quantity, minPrice, maxPrice,
            MatchSort(folded), orderReference, StorePolicies.Find(message)?.Topic, horizon, ordinal, refersBack,
            searchWords.Count == 0 ? null : string.Join(' ', searchWords),
            unknownName,
            unsupported.Count == 0 ? null : unsupported, MatchPicks(tokens));
    }

    /// <summary>
    /// A product name the catalog does not have ("the Glacier Max 5000 boot"): two or more capitalised words or model
    /// numbers in a row (not counting the message's first word), one of them in no product, brand, category, colour or
    /// size name, or, when a product matched, not in its name (typos forgiven).
    /// </summary>
    private static string? MatchUnknownName(string message, CatalogSnapshot catalog, IndexedProduct? product)
    {
        var matches = NameWord().Matches(message);
        var words = matches.Select(m => m.Value).ToList();
        var run = new List<string>();
        string? found = null;
        for (var i = 0; i <= words.Count && found is null; i++)
        {
            // Punctuation between two words ends a name: "the Talus 2 (Black, 42)".
            var joined = i > 0 && i < words.Count && string.IsNullOrWhiteSpace(message[(matches[i - 1].Index + matches[i - 1].Length)..matches[i].Index]);
            var word = i < words.Count ? words[i] : "";
            if (!joined && run.Count > 0)
            {
                found = Unknown(run, catalog, product);
                run.Clear();
            }
            var capital = i > 0 && word.Length > 0 && char.IsUpper(word[0]) && word != "I" && !word.StartsWith("I'", StringComparison.Ordinal);
            var modelNumber = run.Count > 0 && word.Any(char.IsDigit);
            if (capital || modelNumber)
            {
                run.Add(word);
                continue;
            }
            found ??= Unknown(run, catalog, product);
            run.Clear();
        }
        return found;
    }

    private static string? Unknown(List<string> run, CatalogSnapshot catalog, IndexedProduct? product) =>
        run.Count >= 2 && run.SelectMany(w => Text.Tokenize(w)).Any(t => !catalog.Sizes.Contains(t.Text, StringComparer.OrdinalIgnoreCase)
            && !catalog.Knows(t.Text) && (product is null || !product.Words.Any(known => Text.Matches(t.Stem, known))))
            ? string.Join(' ', run)
            : null;

    /// <summary>
    /// Wishes the catalog cannot filter on: a capacity ("for 4 people", "a 3-person tent") and a weight ("light") that
    /// no product name carries. Their words are left out of the search, and the reply says they were not applied.
    /// </summary>
    private static List<string> MatchUnsupported(List<Token> tokens, CatalogSnapshot catalog, bool[] used, string?[] slots)
    {
        var found = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var text = tokens[i].Text;
            var isCount = text.All(char.IsDigit) || NumberWords.ContainsKey(text);
            var next = i + 1 < tokens.Count ? tokens[i + 1].Text : "";
            if (isCount && !used[i] && next is "people" or "persons" or "person" or "adults" or "campers" or "man" or "men")
            {
                found.Add($"capacity (for {text} {(next is "person" or "man" ? "people" : next)})");
                used[i] = used[i + 1] = true;
                slots[i] = slots[i + 1] = Slots.Number;
                if (i > 0 && tokens[i - 1].Text is "for" or "sleeps")
                {
                    used[i - 1] = true;
                }
            }
            else if (text is "light" or "lighter" or "lightest" or "lightweight" or "ultralight" && !catalog.Knows(text) && !used[i])
            {
                found.Add($"weight (\"{text}\")");
                used[i] = true;
            }
        }
        return found;
    }

    /// <summary>Several earlier results referred to at once: "the first two", "the first and the third", "both".</summary>
    private static List<int>? MatchPicks(List<Token> tokens)
    {
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Text is "first" or "top" or "last" && NumberWords.TryGetValue(tokens[i + 1].Text, out var n) && n is >= 2 and <= 4)
            {
                return tokens[i].Text == "last" ? [.. Enumerable.Range(-n, n)] : [.. Enumerable.Range(0, n)];
            }
        }
        var ordinals = tokens.Where(t => Ordinals.ContainsKey(t.Text) && t.Text != "last").Select(t => Ordinals[t.Text]).Distinct().ToList();
        if (ordinals.Count >= 2)
        {
            return ordinals;
        }
        return tokens.Any(t => t.Text is "both") || tokens.Zip(tokens.Skip(1)).Any(p => p.First.Text is "the" or "these" or "those" && p.Second.Text is "two")
            ? [0, 1]
            : null;
    }

    /// <summary>Consecutive tokens of one slot become one slot word (a product name is one "slotproduct").</summary>
    private static IEnumerable<string> Collapse(List<Token> tokens, string?[] slots)
    {
        string? previous = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var slot = slots[i];
            if (slot is null)
            {
                yield return tokens[i].Text;
            }
            else if (slot != previous || slot == Slots.Number)
            {
                yield return slot;
            }
            previous = slot;
        }
    }

    private static (IndexedProduct?, IReadOnlyList<IndexedProduct>) MatchProduct(List<Token> tokens, CatalogSnapshot catalog, bool[] used, string?[] slots)
    {
        var scored = new List<(IndexedProduct Product, double Coverage, double Weight, List<int> Positions)>();
        foreach (var product in catalog.Products)
        {
            double total = 0, matched = 0;
            var positions = new List<int>();
            var rarest = product.Words.MaxBy(w => catalog.WordWeights.GetValueOrDefault(w));
            var rarestMatched = false;
            // Words first, then numbers ("Talus 2"): a number counts where it stands next to the name, not as a quantity before it.
            foreach (var word in product.Words.Distinct().OrderBy(w => w.All(char.IsDigit)))
            {
                var weight = catalog.WordWeights.GetValueOrDefault(word, 1.0);
                total += weight;
                var at = word.All(char.IsDigit)
                    ? tokens.Where(t => t.Text == word).OrderBy(t => NameDistance(positions, t.Index)).Select(t => t.Index).DefaultIfEmpty(-1).First()
                    : tokens.FindIndex(t => t.Stem == word || t.Text == word || (word.Length >= 4 && Text.Matches(t.Stem, word)));
                if (at >= 0)
                {
                    matched += weight;
                    positions.Add(at);
                    rarestMatched |= word == rarest;
                }
            }
            if (total == 0 || positions.Count == 0)
            {
                continue;
            }
            var coverage = matched / total;
            if ((coverage >= 0.5 && rarestMatched && positions.Count >= 2) || coverage >= 0.75)
            {
                scored.Add((product, coverage, matched, positions));
            }
        }
        if (scored.Count == 0)
        {
            return (null, []);
        }
        var ordered = scored.OrderByDescending(s => s.Coverage).ThenByDescending(s => s.Weight).ToList();
        var best = ordered[0];
        var ties = ordered.Where(s => Math.Abs(s.Coverage - best.Coverage) < 0.02).Select(s => s.Product).ToList();
        // Mark the words of the product name (and what lies between them) as used.
        var first = best.Positions.Min();
        var last = best.Positions.Max();
        for (var i = first; i <= last; i++)
        {
            if (best.Positions.Contains(i) || last - first < best.Product.Words.Count + 1)
            {
                used[i] = true;
                slots[i] = Slots.Product;
            }
        }
        return ties.Count > 1 && best.Coverage < 0.99 ? (null, ties.Take(5).ToList()) : (best.Product, []);
    }

    /// <summary>How far a token is from the name's other words: inside their span is best, then the nearest.</summary>
    private static double NameDistance(List<int> positions, int index) =>
        positions.Count == 0 ? 0
        : index > positions.Min() && index < positions.Max() ? 0
        : positions.Min(p => Math.Abs(p - index)) + 0.5;

    private static IndexedTerm? MatchTerm(List<Token> tokens, IReadOnlyList<IndexedTerm> terms, bool[] used, string?[] slots, string slot, int minWordLength)
    {
        IndexedTerm? best = null;
        List<int>? bestPositions = null;
        foreach (var term in terms)
        {
            var words = term.Words.Where(w => w.Length >= minWordLength || term.Words.Count == 1).ToList();
            if (words.Count == 0)
            {
                continue;
            }
            var positions = new List<int>();
            foreach (var word in words)
            {
                var at = Enumerable.Range(0, tokens.Count).FirstOrDefault(i => !used[i] && !positions.Contains(i)
                    && (tokens[i].Stem == word || tokens[i].Text == word || (word.Length >= 4 && Text.Matches(tokens[i].Stem, word))), -1);
                if (at < 0)
                {
                    positions = null;
                    break;
                }
                positions.Add(at);
            }
            if (positions is not null && (bestPositions is null || positions.Count > bestPositions.Count))
            {
                best = term;
                bestPositions = positions;
            }
        }
        foreach (var i in bestPositions ?? [])
        {
            used[i] = true;
            slots[i] = slot;
        }
        return best;
    }

    private static string? MatchColor(List<Token> tokens, CatalogSnapshot catalog, bool[] used, string?[] slots)
    {
        var names = catalog.Colors.Select(Text.Fold).Concat(BasicColors).Distinct().OrderByDescending(c => c.Length).ToList();
        // Exact names first; typos only for long colour words ("purpel"), so "back" is never "black".
        foreach (var (name, fuzzy) in names.Select(n => (n, false)).Concat(names.Select(n => (n, true))))
        {
            var words = name.Split(' ');
            for (var i = 0; i + words.Length <= tokens.Count; i++)
            {
                var matches = true;
                for (var k = 0; k < words.Length && matches; k++)
                {
                    matches = !used[i + k] && (tokens[i + k].Text == words[k] || (fuzzy && words[k].Length >= 6 && Text.Matches(tokens[i + k].Text, words[k])));
                }
                if (matches)
                {
                    for (var k = 0; k < words.Length; k++)
                    {
                        used[i + k] = true;
                        slots[i + k] = Slots.Color;
                    }
                    return catalog.Colors.FirstOrDefault(c => Text.Fold(c) == name) ?? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name);
                }
            }
        }
        return null;
    }

    private static string? MatchSize(string message, List<Token> tokens, bool[] used, string?[] slots)
    {
        // Single letters count as sizes only when written as capitals ("M") or right after "size".
        var capitals = CapitalLetter().Matches(message).Select(m => m.Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var inParentheses = Parenthesized().Matches(Text.Fold(message)).SelectMany(m => Text.Tokenize(m.Value)).Select(t => t.Text).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (used[i])
            {
                continue;
            }
            var text = tokens[i].Text;
            var afterSize = i > 0 && tokens[i - 1].Text is "size" or "sz" or "eu" or "uk";
            // "Black 42", "red, 40": a shoe or trouser size right after a colour.
            var afterColor = i > 0 && slots[i - 1] == Slots.Color;
            string? size = null;
            if (text == "extra" && i + 1 < tokens.Count && tokens[i + 1].Text is "large" or "small")
            {
                size = tokens[i + 1].Text == "large" ? "XL" : "XS";
                Mark(i + 1);
            }
            else if (SizeWords.TryGetValue(text, out var word))
            {
                size = word;
            }
            else if (text is "s" or "m" or "l" && (afterSize || capitals.Contains(text)))
            {
                size = text.ToUpperInvariant();
            }
            else if (text.All(char.IsDigit) && int.TryParse(text, out var number) && number is >= 20 and <= 50
                && (afterSize || afterColor || inParentheses.Contains(text) || (i > 0 && tokens[i - 1].Text is "a" or "an")
                    || (i > 0 && tokens[i - 1].Text == "in" && !(i + 1 < tokens.Count && IsUnit(tokens[i + 1].Text)))))
            {
                size = text;
            }
            else if (afterSize && text.Length <= 8 && !NumberWords.ContainsKey(text))
            {
                size = text.Length <= 3 ? text.ToUpperInvariant() : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text);
            }
            if (size is not null)
            {
                Mark(i);
                return size;
            }
        }
        return null;

        void Mark(int index)
        {
            used[index] = true;
            slots[index] = Slots.Size;
        }
    }

    /// <summary>Words after a number that make it a duration or an amount, not a size ("in 30 days").</summary>
    private static bool IsUnit(string word) =>
        word is "day" or "days" or "week" or "weeks" or "month" or "months" or "year" or "years" or "hour" or "hours" or "minutes"
            or "euro" or "euros" or "eur" or "dollar" or "dollars" or "percent" or "units" or "pieces" or "pcs";

    private static (decimal? Min, decimal? Max) MatchPrices(string folded, List<Token> tokens, bool[] used, string?[] slots)
    {
        decimal? min = null, max = null;
        if (Between().Match(folded) is { Success: true } between)
        {
            min = Parse(between.Groups["a"].Value);
            max = Parse(between.Groups["b"].Value);
            MarkNumber(between.Groups["a"].Value);
            MarkNumber(between.Groups["b"].Value);
        }
        if (max is null && UpperBound().Match(folded) is { Success: true } upper)
        {
            max = Parse(upper.Groups["n"].Value);
            MarkNumber(upper.Groups["n"].Value);
        }
        if (min is null && LowerBound().Match(folded) is { Success: true } lower)
        {
            min = Parse(lower.Groups["n"].Value);
            MarkNumber(lower.Groups["n"].Value);
        }
        return (min, max);

        static decimal? Parse(string value) => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : null;

        void MarkNumber(string value)
        {
            var i = tokens.FindIndex(t => !used[t.Index] && t.Text == value);
            if (i >= 0)
            {
                used[i] = true;
                slots[i] = Slots.Number;
            }
        }
    }

    private static string? MatchOrder(string message, List<Token> tokens, bool[] used, string?[] slots)
    {
        var match = OrderReference().Match(message);
        if (!match.Success)
        {
            return null;
        }
        var reference = match.Groups["ref"].Value;
        foreach (var token in Text.Tokenize(reference))
        {
            var i = tokens.FindIndex(t => !used[t.Index] && t.Text == token.Text);
            if (i >= 0)
            {
                used[i] = true;
                slots[i] = Slots.Number;
            }
        }
        return reference;
    }

    private static int? MatchHorizon(string folded, List<Token> tokens, bool[] used, string?[] slots)
    {
        if (HorizonDays().Match(folded) is { Success: true } days && int.TryParse(days.Groups["n"].Value, out var n))
        {
            var unit = days.Groups["unit"].Value;
            var i = tokens.FindIndex(t => !used[t.Index] && t.Text == days.Groups["n"].Value);
            if (i >= 0)
            {
                used[i] = true;
                slots[i] = Slots.Number;
            }
            return unit.StartsWith("week", StringComparison.Ordinal) ? n * 7 : unit.StartsWith("month", StringComparison.Ordinal) ? n * 30 : n;
        }
        if (folded.Contains("next month", StringComparison.Ordinal) || folded.Contains("a month", StringComparison.Ordinal))
        {
            return 30;
        }
        if (folded.Contains("fortnight", StringComparison.Ordinal) || folded.Contains("two weeks", StringComparison.Ordinal))
        {
            return 14;
        }
        if (folded.Contains("next week", StringComparison.Ordinal) || folded.Contains("a week", StringComparison.Ordinal))
        {
            return 7;
        }
        if (folded.Contains("quarter", StringComparison.Ordinal))
        {
            return 90;
        }
        return null;
    }

    private static int? MatchQuantity(List<Token> tokens, bool[] used, string?[] slots)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (used[i])
            {
                continue;
            }
            var text = tokens[i].Text;
            if (text.All(char.IsDigit) && int.TryParse(text, out var number) && number is >= 1 and <= 99)
            {
                used[i] = true;
                slots[i] = Slots.Number;
                return number;
            }
            if (NumberWords.TryGetValue(text, out var word) && text != "one" && text != "pair")
            {
                used[i] = true;
                slots[i] = Slots.Number;
                return word;
            }
        }
        return null;
    }

    private static string? MatchSort(string folded)
    {
        if (Cheapest().IsMatch(folded))
        {
            return "price-asc";
        }
        if (Priciest().IsMatch(folded))
        {
            return "price-desc";
        }
        if (Newest().IsMatch(folded))
        {
            return "newest";
        }
        return Popular().IsMatch(folded) ? "best-selling" : null;
    }

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex NameWord();

    [GeneratedRegex(@"(?<![\p{L}\p{N}'])[SML](?![\p{L}\p{N}'])")]
    private static partial Regex CapitalLetter();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesized();

    [GeneratedRegex(@"between\s*[€$]?\s*(?<a>\d+(?:\.\d+)?)\s*(?:€|\$|eur|euros?|dollars?)?\s*(?:and|-|to)\s*[€$]?\s*(?<b>\d+(?:\.\d+)?)")]
    private static partial Regex Between();

    [GeneratedRegex(@"(?:under|below|less than|cheaper than|max(?:imum)?|up to|no more than|at most|within|budget of|budget is|(?:nothing|not|none) (?:over|above|more than|higher than)|<)\s*(?:of\s*)?[€$]?\s*(?<n>\d+(?:\.\d+)?)")]
    private static partial Regex UpperBound();

    [GeneratedRegex(@"(?<!(?:nothing|not|none|no) )(?:over|above|more than|at least|min(?:imum)?|>)\s*[€$]?\s*(?<n>\d+(?:\.\d+)?)")]
    private static partial Regex LowerBound();

    [GeneratedRegex(@"(?:order\s*(?:number|no\.?|nr\.?|id)?\s*#?\s*|#\s*)(?<ref>[A-Za-z]{0,5}-?\d[A-Za-z0-9-]{0,30})", RegexOptions.IgnoreCase)]
    private static partial Regex OrderReference();

    [GeneratedRegex(@"(?:next|coming|following|upcoming|in)\s+(?<n>\d{1,3})\s*(?<unit>days?|weeks?|months?)")]
    private static partial Regex HorizonDays();

    [GeneratedRegex(@"\b(cheapest|cheap|lowest pric|least expensive|budget|affordable|inexpensive|low cost)")]
    private static partial Regex Cheapest();

    [GeneratedRegex(@"\b(most expensive|priciest|highest pric|premium|top of the range|top-end)")]
    private static partial Regex Priciest();

    [GeneratedRegex(@"\b(newest|latest|new arrivals?|just in)\b")]
    private static partial Regex Newest();

    [GeneratedRegex(@"\b(best ?sell\w*|most popular|popular|top sell\w*|best sellers?)")]
    private static partial Regex Popular();
}
