using CatalogApi.Model;

namespace CatalogApi.Services.Search;

/// <summary>
/// The spec part of one listing over <see cref="CatalogIndexState"/>: which spec filters a product fails (a bit per
/// filter, in the search's key order), the spec facets of the chosen categories' sheet (each counted with every filter
/// but its own), and the spec to sort by.
/// </summary>
internal sealed class SpecQuery
{
    private readonly CatalogIndexState _state;
    private readonly (int Key, double Min, double Max, bool[]? Choices)[] _filters;
    private readonly SpecDefinition[] _facets;
    private readonly int[] _facetOfKey;
    private readonly int[] _filterOfFacet;
    private readonly int[] _counts;
    private readonly double[] _min;
    private readonly double[] _max;
    /// <summary>Per facet, a count per choice id (facet f's choice c at f * choices + c).</summary>
    private readonly int[] _choiceCounts;
    private readonly int _choices;
    private readonly bool[] _isNumber;
    private readonly IReadOnlyList<SpecFilter> _search;

    private SpecQuery(CatalogIndexState state, ProductSearch search, SpecDefinition[] facets)
    {
        _state = state;
        _search = search.Specs;
        _filters = [.. search.Specs.Select(f =>
        {
            var key = state.SpecKeyIds.GetValueOrDefault(f.Key, -1);
            if (f.IsRange)
            {
                return (key, f.Min is { } min ? (double)min : double.NegativeInfinity, f.Max is { } max ? (double)max : double.PositiveInfinity, (bool[]?)null);
            }
            var choices = new bool[state.SpecChoices.Count];
            foreach (var value in f.Values)
            {
                if (state.SpecChoiceIds.TryGetValue(value, out var id))
                {
                    choices[id] = true;
                }
            }
            return (key, 0, 0, choices);
        })];
        _facets = facets;
        _facetOfKey = new int[state.SpecKeyIds.Count];
        Array.Fill(_facetOfKey, -1);
        _filterOfFacet = new int[facets.Length];
        for (var i = 0; i < facets.Length; i++)
        {
            if (state.SpecKeyIds.TryGetValue(facets[i].Key, out var key))
            {
                _facetOfKey[key] = i;
            }
            _filterOfFacet[i] = search.Specs.Select(f => f.Key).ToList().IndexOf(facets[i].Key);
        }
        _counts = new int[facets.Length];
        _min = new double[facets.Length];
        _max = new double[facets.Length];
        Array.Fill(_min, double.PositiveInfinity);
        Array.Fill(_max, double.NegativeInfinity);
        _choices = state.SpecChoices.Count;
        _isNumber = [.. facets.Select(d => d.IsNumber)];
        _choiceCounts = new int[facets.Length * _choices];

        if (search.Sort == ProductSort.Spec && search.SpecSort is { } sort)
        {
            SortKey = state.SpecKeyIds.TryGetValue(sort.Key, out var key) ? key : -1;
            SortDescending = sort.Descending ?? facets.FirstOrDefault(d => d.Key == sort.Key)?.Sort == "desc";
        }
    }

    public static SpecQuery Create(CatalogIndexState state, ProductSearch search, SpecDefinition[] facets) => new(state, search, facets);

    /// <summary>The key id to sort by (-1: a key no product has), or null when the sort is not by a spec.</summary>
    public int? SortKey { get; }

    public bool SortDescending { get; }

    /// <summary>Whether the search filters by specs (else <see cref="Missing"/> is 0 for every product).</summary>
    public bool Filters => _filters.Length > 0;

    /// <summary>Whether there are spec facets to count (else <see cref="Count"/> counts nothing).</summary>
    public bool Facets => _facets.Length > 0;

    /// <summary>A product's value of spec key <paramref name="key"/>, or NaN.</summary>
    public static double Value(ReadOnlySpan<SpecEntry> specs, int key)
    {
        foreach (var entry in specs)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }
        return double.NaN;
    }

    /// <summary>The filters the product fails, a bit each (a product without the spec fails its filter).</summary>
    public int Missing(ReadOnlySpan<SpecEntry> specs)
    {
        var missing = 0;
        for (var i = 0; i < _filters.Length; i++)
        {
            var (key, min, max, choices) = _filters[i];
            var value = key < 0 ? double.NaN : Value(specs, key);
            var ok = !double.IsNaN(value) && (choices is null ? value >= min && value <= max : value < choices.Length && choices[(int)value]);
            if (!ok)
            {
                missing |= 1 << i;
            }
        }
        return missing;
    }

    /// <summary>Counts the product's values in the facets: all of them (<paramref name="onlyFilter"/> -1), or only the facet of that filter.</summary>
    public void Count(ReadOnlySpan<SpecEntry> specs, int onlyFilter)
    {
        foreach (var entry in specs)
        {
            var facet = entry.Key < _facetOfKey.Length ? _facetOfKey[entry.Key] : -1;
            if (facet < 0 || onlyFilter >= 0 && _filterOfFacet[facet] != onlyFilter)
            {
                continue;
            }
            _counts[facet]++;
            if (_isNumber[facet])
            {
                _min[facet] = Math.Min(_min[facet], entry.Value);
                _max[facet] = Math.Max(_max[facet], entry.Value);
            }
            else
            {
                _choiceCounts[facet * _choices + (int)entry.Value]++;
            }
        }
    }

    /// <summary>The facets in sheet order; a choice's values in the definition's order, those with products or chosen.</summary>
    public List<SpecFacet> FacetValues()
    {
        var result = new List<SpecFacet>(_facets.Length);
        for (var i = 0; i < _facets.Length; i++)
        {
            var d = _facets[i];
            if (d.IsNumber)
            {
                result.Add(new SpecFacet(d.Key, d.Label, d.Kind, d.Unit, _counts[i],
                    _counts[i] == 0 ? null : (decimal)Math.Round(_min[i], d.Decimals),
                    _counts[i] == 0 ? null : (decimal)Math.Round(_max[i], d.Decimals),
                    null, d.Sort, d.SortLabel));
                continue;
            }
            var chosen = _filterOfFacet[i] >= 0 ? _search[_filterOfFacet[i]].Values : [];
            var values = (d.Choices ?? [])
                .Select(c => (Choice: c, Count: _state.SpecChoiceIds.TryGetValue(c.ToLowerInvariant(), out var id) ? _choiceCounts[i * _choices + id] : 0))
                .Where(c => c.Count > 0 || chosen.Contains(c.Choice.ToLowerInvariant()))
                .Select(c => new FacetValue(c.Choice, null, c.Count))
                .ToList();
            result.Add(new SpecFacet(d.Key, d.Label, d.Kind, d.Unit, _counts[i], null, null, values, d.Sort, d.SortLabel));
        }
        return result;
    }
}
