using System.Text;

namespace CatalogApi.Model;

public enum ProductSort
{
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
    BestSelling,
    Name,
    /// <summary>By a spec's value (<see cref="ProductSearch.SpecSort"/>); products without one come last.</summary>
    Spec,

    /// <summary>Highest average rating first (more reviews first among equals); products without reviews last.</summary>
    Rating,
}

/// <summary>Products having a variant whose option <see cref="Name"/> is one of <see cref="Values"/> (both lower case).</summary>
public sealed record OptionFilter(string Name, IReadOnlyList<string> Values);

/// <summary>
/// A validated listing request: search words, filters, sort and page. Built from the query string by
/// <see cref="Services.ProductSearchParser"/>; values are normalised (lower case, sorted, de-duplicated) so that
/// equal requests share one cache entry (<see cref="CacheKey"/>).
/// </summary>
public sealed record ProductSearch(
    string? Text,
    IReadOnlyList<string> Words,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Brands,
    decimal? MinPrice,
    decimal? MaxPrice,
    bool InStock,
    IReadOnlyList<OptionFilter> Options,
    ProductSort Sort,
    int Page,
    int PageSize,
    decimal? MinRating = null)
{
    /// <summary>Spec filters, by key in order (AND-ed; choice values OR-ed).</summary>
    public IReadOnlyList<SpecFilter> Specs { get; init; } = [];

    /// <summary>The spec to sort by when <see cref="Sort"/> is <see cref="ProductSort.Spec"/>.</summary>
    public SpecSort? SpecSort { get; init; }

    public const int DefaultPageSize = 24;
    public const int MaxPageSize = 100;
    public const int MaxPage = 10_000;
    public const int MaxTextLength = 200;
    public const decimal MaxPriceValue = 1_000_000m;

    /// <summary>Search text was given but has no word in it (only punctuation, say): nothing can match.</summary>
    public bool MatchesNothing => Text is not null && Words.Count == 0;

    public string CacheKey
    {
        get
        {
            var key = new StringBuilder(128);
            key.Append("q=").Append(Text is null ? "" : Words.Count == 0 ? "\u2205" : string.Join(' ', Words));
            key.Append("|c=").AppendJoin(',', Categories);
            key.Append("|b=").AppendJoin(',', Brands);
            key.Append("|p=").Append(MinPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append('-').Append(MaxPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            key.Append("|s=").Append(InStock ? '1' : '0');
            key.Append("|o=").AppendJoin(';', Options.Select(o => o.Name + ":" + string.Join(',', o.Values)));
            key.Append("|spec=").AppendJoin(';', Specs);
            key.Append("|r=").Append(MinRating?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            key.Append("|sort=").Append(Sort).Append(SpecSort?.ToString());
            key.Append("|page=").Append(Page).Append('x').Append(PageSize);
            return key.ToString();
        }
    }
}

/// <summary>The query string of <c>GET /api/catalog/products</c>, as sent (every value a string, checked by the parser).</summary>
public sealed record ProductListQuery(
    string? Q = null,
    string[]? Category = null,
    string[]? Brand = null,
    string? MinPrice = null,
    string? MaxPrice = null,
    string? InStock = null,
    string[]? Colour = null,
    string[]? Color = null,
    string[]? Size = null,
    string[]? Option = null,
    string[]? Spec = null,
    string? Sort = null,
    string? Page = null,
    string? PageSize = null,
    string? MinRating = null);
