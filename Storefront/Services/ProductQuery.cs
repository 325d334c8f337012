using System.Globalization;
using System.Text;

namespace Storefront.Services;

/// <summary>
/// The shop page's state, kept in its URL (<c>/shop?q=tent&amp;category=tents&amp;colour=Red&amp;sort=price-asc&amp;page=2</c>) so
/// that a search can be bookmarked, shared and reloaded. Also builds CatalogApi's query string from it.
/// Option filters other than size and colour travel as <c>option=Name:Value</c>, as CatalogApi reads them.
/// </summary>
public sealed record ProductQuery
{
    public const int PageSize = 24;

    public static IReadOnlyList<(string Value, string Label)> Sorts { get; } =
    [
        ("relevance", "Best match"),
        ("best-selling", "Best selling"),
        ("newest", "Newest"),
        ("price-asc", "Price: low to high"),
        ("price-desc", "Price: high to low"),
        ("name", "Name"),
        ("rating", "Customer rating"),
    ];

    /// <summary>The minimum ratings the shop offers as a filter ("4 stars and up").</summary>
    public static IReadOnlyList<int> RatingChoices { get; } = [4, 3, 2];

    public string? Text { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Brands { get; init; } = [];
    public decimal? MinPrice { get; init; }
    public decimal? MaxPrice { get; init; }
    public bool InStock { get; init; }

    /// <summary>Only products whose average rating is at least this (1-5).</summary>
    public decimal? MinRating { get; init; }

    /// <summary>Option filters by option name as the catalog spells it ("Size", "Colour", "Capacity", ...).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Options { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    /// <summary>Spec filters by key, as CatalogApi reads them after "key:": a range ("4..", "..2000", "-10..0") or choices ("down,synthetic").</summary>
    public IReadOnlyDictionary<string, string> Specs { get; init; } = new Dictionary<string, string>();
    public string? Sort { get; init; }
    public int Page { get; init; } = 1;

    /// <summary>Products per page asked of the catalog (the shop page uses <see cref="PageSize"/>; the home page fewer).</summary>
    public int Size { get; init; } = PageSize;

    public bool HasFilters => Categories.Count > 0 || Brands.Count > 0 || MinPrice is not null || MaxPrice is not null || InStock || Options.Count > 0 || Specs.Count > 0
        || MinRating is not null;

    /// <summary>Reads the shop page's query string (unknown names are ignored, bad numbers dropped).</summary>
    public static ProductQuery Parse(string? queryString)
    {
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        IReadOnlyList<string> All(string name) =>
            values.TryGetValue(name, out var v) ? [.. v.SelectMany(x => (x ?? "").Split(',')).Select(x => x.Trim()).Where(x => x.Length > 0).Distinct()] : [];
        string? One(string name) => All(name) is [var first, ..] ? first : null;

        var options = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        void AddOption(string name, IEnumerable<string> optionValues)
        {
            var list = options.TryGetValue(name, out var existing) ? existing.ToList() : [];
            list.AddRange(optionValues.Where(v => !list.Contains(v, StringComparer.OrdinalIgnoreCase)));
            if (list.Count > 0)
            {
                options[name] = list;
            }
        }
        AddOption("Size", All("size"));
        AddOption("Colour", All("colour"));
        foreach (var option in All("option"))
        {
            var colon = option.IndexOf(':');
            if (colon > 0 && colon < option.Length - 1)
            {
                var name = option[..colon].Trim();
                AddOption(name.Equals("size", StringComparison.OrdinalIgnoreCase) ? "Size"
                    : name.Equals("colour", StringComparison.OrdinalIgnoreCase) || name.Equals("color", StringComparison.OrdinalIgnoreCase) ? "Colour"
                    : name, [option[(colon + 1)..].Trim()]);
            }
        }

        var specs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in values.TryGetValue("spec", out var rawSpecs) ? rawSpecs.Select(x => (x ?? "").Trim()) : [])
        {
            var colon = spec.IndexOf(':');
            if (colon > 0 && colon < spec.Length - 1 && spec.Length <= 200)
            {
                var key = spec[..colon].ToLowerInvariant();
                var value = spec[(colon + 1)..];
                specs[key] = specs.TryGetValue(key, out var existing) && !value.Contains("..", StringComparison.Ordinal) ? existing + "," + value : value;
            }
        }

        var sort = One("sort");
        return new ProductQuery
        {
            Text = One("q") is { } q && q.Length <= 200 ? q : null,
            Categories = All("category"),
            Brands = All("brand"),
            MinPrice = Price(One("minPrice")),
            MaxPrice = Price(One("maxPrice")),
            InStock = One("inStock") is "true" or "1",
            MinRating = decimal.TryParse(One("minRating"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rating) && rating is >= 1 and <= 5 ? rating : null,
            Options = options,
            Specs = specs,
            Sort = Sorts.Any(s => s.Value == sort) || IsSpecSort(sort) ? sort : null,
            Page = int.TryParse(One("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is > 0 and <= 10_000 ? page : 1,
        };

        static decimal? Price(string? text) =>
            decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) && price is >= 0 and <= 1_000_000 ? price : null;
    }

    /// <summary>The shop page's URL for this state (relative, without a leading slash).</summary>
    public string ToUrl() => "shop" + ToQueryString(api: false);

    /// <summary>CatalogApi's query string for this state.</summary>
    public string ToApiQuery() => ToQueryString(api: true);

    public ProductQuery WithPage(int page) => this with { Page = page };

    /// <summary>Adds or removes one option value, back to the first page.</summary>
    public ProductQuery Toggle(string option, string value)
    {
        var options = new SortedDictionary<string, IReadOnlyList<string>>(Options.ToDictionary(o => o.Key, o => o.Value), StringComparer.OrdinalIgnoreCase);
        var list = options.TryGetValue(option, out var current) ? current.ToList() : [];
        if (list.RemoveAll(v => v.Equals(value, StringComparison.OrdinalIgnoreCase)) == 0)
        {
            list.Add(value);
        }
        if (list.Count == 0)
        {
            options.Remove(option);
        }
        else
        {
            options[option] = list;
        }
        return this with { Options = options, Page = 1 };
    }

    /// <summary>A spec sort ("spec:weight", "spec:weight:desc"), which CatalogApi checks against the category.</summary>
    public static bool IsSpecSort(string? sort) => sort is { Length: > 5 and <= 80 } && sort.StartsWith("spec:", StringComparison.Ordinal)
        && sort[5..].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or ':');

    /// <summary>Adds or removes one choice of a spec, back to the first page.</summary>
    public ProductQuery ToggleSpec(string key, string choice)
    {
        var chosen = SpecChoices(key).ToList();
        if (chosen.RemoveAll(c => c.Equals(choice, StringComparison.OrdinalIgnoreCase)) == 0)
        {
            chosen.Add(choice);
        }
        return WithSpec(key, chosen.Count == 0 ? null : string.Join(',', chosen));
    }

    /// <summary>Sets (or, with neither bound, clears) a spec's range, back to the first page.</summary>
    public ProductQuery WithSpecRange(string key, decimal? min, decimal? max) =>
        WithSpec(key, min is null && max is null ? null : $"{min?.ToString(CultureInfo.InvariantCulture)}..{max?.ToString(CultureInfo.InvariantCulture)}");

    public IReadOnlyList<string> SpecChoices(string key) =>
        Specs.TryGetValue(key, out var value) && !value.Contains("..", StringComparison.Ordinal) ? value.Split(',') : [];

    /// <summary>A spec's range as set: (min, max), either null.</summary>
    public (decimal? Min, decimal? Max) SpecRange(string key)
    {
        if (!Specs.TryGetValue(key, out var value) || value.IndexOf("..", StringComparison.Ordinal) is var at && at < 0)
        {
            return (null, null);
        }
        static decimal? Bound(string text) => decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
        return (Bound(value[..at]), Bound(value[(at + 2)..]));
    }

    private ProductQuery WithSpec(string key, string? value)
    {
        var specs = new SortedDictionary<string, string>(Specs.ToDictionary(s => s.Key, s => s.Value), StringComparer.Ordinal);
        if (value is null)
        {
            specs.Remove(key);
        }
        else
        {
            specs[key] = value;
        }
        return this with { Specs = specs, Page = 1 };
    }

    /// <summary>Another category has another spec sheet: its spec filters and spec sort go.</summary>
    public ProductQuery ToggleCategory(string category) => this with
    {
        Categories = Flip(Categories, category), Specs = new Dictionary<string, string>(), Sort = IsSpecSort(Sort) ? null : Sort, Page = 1,
    };

    public ProductQuery ToggleBrand(string brand) => this with { Brands = Flip(Brands, brand), Page = 1 };

    public bool IsSelected(string option, string value) =>
        Options.TryGetValue(option, out var values) && values.Contains(value, StringComparer.OrdinalIgnoreCase);

    private static IReadOnlyList<string> Flip(IReadOnlyList<string> list, string value) =>
        list.Contains(value, StringComparer.OrdinalIgnoreCase)
            ? [.. list.Where(v => !v.Equals(value, StringComparison.OrdinalIgnoreCase))]
            : [.. list, value];

    private string ToQueryString(bool api)
    {
        var query = new StringBuilder();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Add("q", Text);
        foreach (var category in Categories)
        {
            Add("category", category);
        }
        foreach (var brand in Brands)
        {
            Add("brand", brand);
        }
        Add("minPrice", MinPrice?.ToString(CultureInfo.InvariantCulture));
        Add("maxPrice", MaxPrice?.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, values) in Options)
        {
            foreach (var value in values)
            {
                if (name.Equals("Size", StringComparison.OrdinalIgnoreCase))
                {
                    Add("size", value);
                }
                else if (name.Equals("Colour", StringComparison.OrdinalIgnoreCase))
                {
                    Add("colour", value);
                }
                else
                {
                    Add("option", $"{name}:{value}");
                }
            }
        }
        foreach (var (key, value) in Specs)
        {
            Add("spec", $"{key}:{value}");
        }
        if (InStock)
        {
            Add("inStock", "true");
        }
        Add("minRating", MinRating?.ToString(CultureInfo.InvariantCulture));
        Add("sort", Sort);
        if (Page > 1)
        {
            Add("page", Page.ToString(CultureInfo.InvariantCulture));
        }
        if (api)
        {
            Add("pageSize", Size.ToString(CultureInfo.InvariantCulture));
        }
        return query.ToString();
    }
}
