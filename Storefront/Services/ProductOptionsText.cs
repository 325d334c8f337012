using System.Globalization;
using Storefront.Model;

namespace Storefront.Services;

/// <summary>The new-product form's options ("Size: S, M, L" per line) and the variants they make (every combination).</summary>
public static class ProductOptionsText
{
    public static List<OptionInput> Parse(string text) =>
        [.. text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0)
            .Select(parts => new OptionInput(parts[0], [.. parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct()]))
            .Where(option => option.Values.Count > 0)
            .GroupBy(option => option.Name, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.First())];

    /// <summary>One variant per combination of option values, SKU = prefix + values (upper case, no spaces).</summary>
    public static List<VariantInput> Combine(IReadOnlyList<OptionInput> options, string skuPrefix, decimal price, int onHand)
    {
        IEnumerable<Dictionary<string, string>> combinations = [new Dictionary<string, string>()];
        foreach (var option in options)
        {
            combinations = combinations.SelectMany(c => option.Values.Select(v => new Dictionary<string, string>(c) { [option.Name] = v }));
        }
        var prefix = string.IsNullOrWhiteSpace(skuPrefix) ? "SKU" : skuPrefix.Trim().ToUpperInvariant();
        return [.. combinations.Select(c => new VariantInput(
            string.Join('-', [prefix, .. c.Values.Select(v => new string(v.ToUpper(CultureInfo.InvariantCulture).Where(char.IsLetterOrDigit).ToArray()))]),
            c, price, onHand, null, null))];
    }
}
