using System.Globalization;

namespace Storefront.Services;

/// <summary>Product ids in a cookie value, "12-40-7" (the anonymous favourites, the products picked to compare).</summary>
public static class ProductIdsCookie
{
    /// <summary>The ids in a cookie value, at most <paramref name="limit"/>; anything that is not one is left out.</summary>
    public static List<int> Parse(string? value, int limit) =>
        [.. (value ?? "").Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0)
            .Distinct()
            .Take(limit)];

    public static string Format(IEnumerable<int> productIds, int limit) =>
        string.Join('-', productIds.Take(limit).Select(id => id.ToString(CultureInfo.InvariantCulture)));
}
