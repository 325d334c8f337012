using System.Globalization;
using System.Text;
using CatalogApi.Model;

namespace CatalogApi.Services;

/// <summary>
/// Checks the listing query string and turns it into a <see cref="ProductSearch"/>, or into errors keyed by the
/// query parameter at fault (for a 400 validation problem). Pure: no database, no clock.
/// </summary>
public static partial class ProductSearchParser
{
    public const int MaxWords = 10;
    public const int MaxWordLength = 40;
    private const int MaxFilterValues = 50;
    private const int MaxFilterValueLength = 100;

    public static readonly string SortValues = "relevance, price-asc, price-desc, newest, best-selling, name, rating, spec:KEY (spec:KEY:asc, spec:KEY:desc)";

    public static bool TryParse(ProductListQuery query, out ProductSearch search, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var text = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        if (text is { Length: > ProductSearch.MaxTextLength })
        {
            errors["q"] = [$"The search text is limited to {ProductSearch.MaxTextLength} characters."];
        }

        var minPrice = ParsePrice(query.MinPrice, "minPrice", errors);
        var maxPrice = ParsePrice(query.MaxPrice, "maxPrice", errors);
        if (minPrice is { } min && maxPrice is { } max && min > max)
        {
            errors["maxPrice"] = ["maxPrice must not be below minPrice."];
        }

        decimal? minRating = null;
        if (!string.IsNullOrWhiteSpace(query.MinRating))
        {
            if (decimal.TryParse(query.MinRating.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rating) && rating is >= 1 and <= 5)
            {
                minRating = rating;
            }
            else
            {
                errors["minRating"] = ["minRating must be a number from 1 to 5 (e.g. 4 or 4.5)."];
            }
        }

        var inStock = false;
        if (!string.IsNullOrWhiteSpace(query.InStock) && !TryParseBool(query.InStock, out inStock))
        {
            errors["inStock"] = ["inStock must be true or false."];
        }

        var sort = ProductSort.Relevance;
        SpecSort? specSort = null;
        if (query.Sort?.Trim() is { } sortText && sortText.StartsWith("spec:", StringComparison.OrdinalIgnoreCase))
        {
            var parts = sortText[5..].ToLowerInvariant().Split(':');
            if (parts.Length is 1 or 2 && SpecKey().IsMatch(parts[0]) && (parts.Length == 1 || parts[1] is "asc" or "desc"))
            {
                sort = ProductSort.Spec;
                specSort = new SpecSort(parts[0], parts.Length == 1 ? null : parts[1] == "desc");
            }
            else
            {
                errors["sort"] = [$"Write a spec sort as spec:KEY, spec:KEY:asc or spec:KEY:desc, not '{Shorten(sortText)}'."];
            }
        }
        else if (!string.IsNullOrWhiteSpace(query.Sort) && !TryParseSort(query.Sort, out sort))
        {
            errors["sort"] = [$"Unknown sort '{Shorten(query.Sort)}': use one of {SortValues}."];
        }

        var page = ParseInt(query.Page, "page", 1, 1, ProductSearch.MaxPage, errors);
        var pageSize = ParseInt(query.PageSize, "pageSize", ProductSearch.DefaultPageSize, 1, ProductSearch.MaxPageSize, errors);

        var categories = Values(query.Category, "category", errors, lower: true);
        var brands = Values(query.Brand, "brand", errors, lower: true);
        var options = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        AddOption(options, "colour", Values([.. query.Colour ?? [], .. query.Color ?? []], "colour", errors, lower: true));
        AddOption(options, "size", Values(query.Size, "size", errors, lower: true));
        foreach (var option in Values(query.Option, "option", errors, lower: true))
        {
            var colon = option.IndexOf(':');
            if (colon <= 0 || colon == option.Length - 1)
            {
                errors["option"] = [$"Write an option filter as Name:Value (e.g. Colour:Red), not '{Shorten(option)}'."];
                continue;
            }
            var name = option[..colon].Trim();
            AddOption(options, name is "color" ? "colour" : name, [option[(colon + 1)..].Trim()]);
        }

        var specs = ParseSpecs(query.Spec, errors);

        search = new ProductSearch(
            text,
            text is null ? [] : [.. Tokenize(text).Where(w => !SearchText.IsStopWord(w))],
            categories,
            brands,
            minPrice,
            maxPrice,
            inStock,
            [.. options.Where(o => o.Value.Count > 0).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new OptionFilter(o.Key, [.. o.Value]))],
            sort,
            page,
            pageSize,
            minRating)
        {
            Specs = specs,
            SpecSort = specSort,
        };
        return errors.Count == 0;
    }

    /// <summary>
    /// <c>spec=KEY:MIN..MAX</c> (either end may be left out; numbers may be negative) or <c>spec=KEY:VALUE[,VALUE]</c>
    /// (choices, OR-ed; repeated for one key they add up). A key takes a range or choices, not both.
    /// </summary>
    private static List<SpecFilter> ParseSpecs(string[]? raw, Dictionary<string, string[]> errors)
    {
        var byKey = new SortedDictionary<string, SpecFilter>(StringComparer.Ordinal);
        foreach (var item in raw ?? [])
        {
            var text = (item ?? "").Trim();
            if (text.Length == 0)
            {
                continue;
            }
            var colon = text.IndexOf(':');
            var key = colon > 0 ? text[..colon].Trim().ToLowerInvariant() : "";
            var value = colon > 0 ? text[(colon + 1)..].Trim() : "";
            if (text.Length > MaxFilterValueLength * 4 || !SpecKey().IsMatch(key) || value.Length == 0)
            {
                errors["spec"] = [$"Write a spec filter as KEY:MIN..MAX or KEY:VALUE (e.g. capacity:4.. or fill:down), not '{Shorten(text)}'."];
                continue;
            }
            var range = value.IndexOf("..", StringComparison.Ordinal);
            if (range >= 0)
            {
                decimal? min = null, max = null;
                var ok = TryBound(value[..range], out min) & TryBound(value[(range + 2)..], out max);
                if (!ok || min is null && max is null)
                {
                    errors["spec"] = [$"A spec range is MIN..MAX with numbers (either may be left out), not '{Shorten(text)}'."];
                }
                else if (min > max)
                {
                    errors["spec"] = [$"In '{Shorten(text)}' the lower bound is above the upper one."];
                }
                else if (byKey.ContainsKey(key))
                {
                    errors["spec"] = [$"Give one range or one list of values for '{key}'."];
                }
                else
                {
                    byKey[key] = new SpecFilter(key, min, max, []);
                }
                continue;
            }
            var values = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.ToLowerInvariant()).ToList();
            if (values.Count == 0 || values.Count > MaxFilterValues || values.Any(v => v.Length > MaxFilterValueLength))
            {
                errors["spec"] = [$"A spec filter takes 1 to {MaxFilterValues} values of up to {MaxFilterValueLength} characters."];
                continue;
            }
            if (byKey.TryGetValue(key, out var existing))
            {
                if (existing.IsRange)
                {
                    errors["spec"] = [$"Give one range or one list of values for '{key}'."];
                    continue;
                }
                values.AddRange(existing.Values);
            }
            byKey[key] = new SpecFilter(key, null, null, [.. values.Distinct().Order(StringComparer.Ordinal)]);
        }
        if (byKey.Count > 16)
        {
            errors["spec"] = ["At most 16 spec filters."];
        }
        return [.. byKey.Values];

        static bool TryBound(string text, out decimal? bound)
        {
            bound = null;
            if (text.Trim().Length == 0)
            {
                return true;
            }
            if (decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                && Math.Abs(number) <= ProductSearch.MaxPriceValue)
            {
                bound = number;
                return true;
            }
            return false;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial System.Text.RegularExpressions.Regex SpecKey();

    /// <summary>
    /// The words of a search text: runs of letters and digits, lower case, at most <see cref="MaxWords"/>.
    /// Everything else (quotes, %, _, *, &amp;, |, :, SQL) only separates words, so it can never act as syntax.
    /// </summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (word.Length < MaxWordLength)
                {
                    word.Append(char.ToLowerInvariant(c));
                }
                continue;
            }
            Flush();
        }
        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0 && words.Count < MaxWords)
            {
                var w = word.ToString();
                if (!words.Contains(w))
                {
                    words.Add(w);
                }
            }
            word.Clear();
        }
    }

    public static bool TryParseSort(string text, out ProductSort sort)
    {
        var normalized = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        sort = ProductSort.Relevance;
        return !normalized.Any(char.IsDigit) && Enum.TryParse(normalized, ignoreCase: true, out sort) && Enum.IsDefined(sort) && sort != ProductSort.Spec;
    }

    public static string ToText(ProductSort sort) => sort switch
    {
        ProductSort.Spec => "spec",
        ProductSort.PriceAsc => "price-asc",
        ProductSort.PriceDesc => "price-desc",
        ProductSort.BestSelling => "best-selling",
        _ => sort.ToString().ToLowerInvariant(),
    };

    private static decimal? ParsePrice(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var price))
        {
            errors[field] = [$"{field} must be a number such as 49.99."];
            return null;
        }
        if (price < 0 || price > ProductSearch.MaxPriceValue)
        {
            errors[field] = [$"{field} must be between 0 and {ProductSearch.MaxPriceValue.ToString("N0", CultureInfo.InvariantCulture)}."];
            return null;
        }
        return price;
    }

    private static int ParseInt(string? text, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [$"{field} must be a whole number from {min} to {max.ToString("N0", CultureInfo.InvariantCulture)}."];
            return fallback;
        }
        return value;
    }

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes":
                value = true;
                return true;
            case "false" or "0" or "no":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>Repeated and comma-separated values, trimmed, de-duplicated and sorted.</summary>
    private static string[] Values(string[]? raw, string field, Dictionary<string, string[]> errors, bool lower)
    {
        if (raw is null || raw.Length == 0)
        {
            return [];
        }
        var values = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in raw.SelectMany(r => (r ?? "").Split(',')))
        {
            var value = item.Trim();
            if (value.Length == 0)
            {
                continue;
            }
            if (value.Length > MaxFilterValueLength)
            {
                errors[field] = [$"A {field} value is limited to {MaxFilterValueLength} characters."];
                continue;
            }
            values.Add(lower ? value.ToLowerInvariant() : value);
        }
        if (values.Count > MaxFilterValues)
        {
            errors[field] = [$"At most {MaxFilterValues} {field} values."];
        }
        return [.. values];
    }

    private static void AddOption(Dictionary<string, SortedSet<string>> options, string name, IEnumerable<string> values)
    {
        if (!options.TryGetValue(name, out var set))
        {
            options[name] = set = new SortedSet<string>(StringComparer.Ordinal);
        }
        set.UnionWith(values.Where(v => v.Length > 0));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
