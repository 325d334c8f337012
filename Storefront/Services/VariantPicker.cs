using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// The option pickers of a product page: which values can be chosen (only combinations that exist as a variant), and
/// the variant the choices make. Choosing a value that does not fit the other choices moves them to the nearest
/// combination that exists (in stock first), so the shopper never lands on a variant that is not sold.
/// </summary>
public sealed class VariantPicker
{
    private readonly IReadOnlyList<ProductOption> _options;
    private readonly IReadOnlyList<ProductVariant> _variants;
    private readonly Dictionary<string, string> _selected = new(StringComparer.Ordinal);

    public VariantPicker(IReadOnlyList<ProductOption> options, IReadOnlyList<ProductVariant> variants, int? preferredVariantId = null)
    {
        _options = options;
        _variants = variants;
        var start = variants.FirstOrDefault(v => v.Id == preferredVariantId)
            ?? variants.FirstOrDefault(v => v.Available > 0)
            ?? variants.FirstOrDefault();
        if (start is not null)
        {
            foreach (var (name, value) in start.Options)
            {
                _selected[name] = value;
            }
        }
    }

    public IReadOnlyList<ProductOption> Options => _options;

    public IReadOnlyDictionary<string, string> Selected => _selected;

    /// <summary>The variant of the current choices (every product option chosen), or null.</summary>
    public ProductVariant? Current => _variants.FirstOrDefault(Matches);

    /// <summary>True when some variant has this value and the other current choices.</summary>
    public bool IsOffered(string option, string value) =>
        _variants.Any(v => HasValue(v, option, value)
            && _selected.Where(s => s.Key != option).All(s => HasValue(v, s.Key, s.Value)));

    /// <summary>True when some variant with this value (and the other choices) is in stock.</summary>
    public bool IsInStock(string option, string value) =>
        _variants.Any(v => v.Available > 0 && HasValue(v, option, value)
            && _selected.Where(s => s.Key != option).All(s => HasValue(v, s.Key, s.Value)));

    public bool IsSelected(string option, string value) => _selected.TryGetValue(option, out var chosen) && chosen == value;

    public void Select(string option, string value)
    {
        if (!_variants.Any(v => HasValue(v, option, value)))
        {
            return; // not a value of any variant
        }
        _selected[option] = value;
        if (Current is not null)
        {
            return;
        }
        // The closest existing combination with this value: most other choices kept, in stock first.
        var best = _variants
            .Where(v => HasValue(v, option, value))
            .OrderByDescending(v => _selected.Count(s => HasValue(v, s.Key, s.Value)))
            .ThenByDescending(v => v.Available > 0)
            .First();
        _selected.Clear();
        foreach (var (name, chosen) in best.Options)
        {
            _selected[name] = chosen;
        }
    }

    private bool Matches(ProductVariant variant) =>
        _options.All(o => _selected.TryGetValue(o.Name, out var chosen) && HasValue(variant, o.Name, chosen))
        && variant.Options.Count == _selected.Count;

    private static bool HasValue(ProductVariant variant, string option, string value) =>
        variant.Options.TryGetValue(option, out var actual) && actual == value;
}
