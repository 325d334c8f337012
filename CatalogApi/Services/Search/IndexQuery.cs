using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using CatalogApi.Model;
using CatalogApi.Services.Specs;

namespace CatalogApi.Services.Search;

/// <summary>
/// One listing over <see cref="CatalogIndexState"/>: candidates from the postings (the words' stems, else the chosen
/// categories, else every product), then one pass over them and their variants that decides the hits and counts every
/// facet, then the page (a bounded selection: page 50 costs what page 1 does, plus its 1,200 rows).
/// </summary>
internal static class IndexQuery
{
    private const double NameWeight = 1.0, LabelsWeight = 0.4, DescriptionWeight = 0.2, OptionsWeight = 0.1;

    private readonly record struct Hit(IndexedProduct Product, decimal PriceFrom, decimal PriceTo, bool InStock, double Rank, double SpecValue = double.NaN);

    /// <summary>
    /// Replaces each word the catalog does not know (by stem; the last word also as the start of a catalog word) by the
    /// closest catalog word: fewest edits (at most 1 for words of up to 5 letters, else 2) or trigram similarity
    /// (pg_trgm's 0.3), then the more similar, the more common, the first in order. Words <see cref="SearchText.MayCorrect"/> refuses stay.
    /// </summary>
    public static List<string> Correct(CatalogIndexState state, IReadOnlyList<string> words)
    {
        var result = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var word = CatalogText.Plain(words[i]);
            var known = StemKnown(state, CatalogText.Stem(word)) || (i == words.Count - 1 && WordsStartingWith(state, word).Any());
            result.Add(known || !SearchText.MayCorrect(word) ? words[i] : Suggest(state, word) ?? words[i]);
        }
        return result;
    }

    private static bool StemKnown(CatalogIndexState state, string stem) =>
        state.StemIds.TryGetValue(stem, out var id) && state.StemPostings[id].Length > 0;

    private static string? Suggest(CatalogIndexState state, string word)
    {
        var maxEdits = word.Length <= 5 ? 1 : 2;
        var trigrams = CatalogText.Trigrams(word);
        var shared = new Dictionary<int, int>();
        foreach (var trigram in trigrams)
        {
            foreach (var id in state.TrigramWords.GetValueOrDefault(trigram, []))
            {
                shared[id] = shared.GetValueOrDefault(id) + 1;
            }
        }
        (string Word, int Edits, double Similarity, int Products)? best = null;
        foreach (var (id, common) in shared)
        {
            var candidate = state.Words[id];
            if (state.StemPostings[state.WordStems[id]].Length == 0)
            {
                continue; // only in products no longer listed
            }
            var similarity = common / (double)(trigrams.Count + state.WordTrigrams[id] - common);
            var edits = CatalogText.Levenshtein(word, candidate, Math.Max(maxEdits, 3));
            if (similarity < 0.3 && edits > maxEdits)
            {
                continue;
            }
            var products = state.WordProducts[id];
            if (best is not { } b
                || edits < b.Edits
                || edits == b.Edits && (similarity > b.Similarity
                    || similarity == b.Similarity && (products > b.Products
                        || products == b.Products && string.CompareOrdinal(candidate, b.Word) < 0)))
            {
                best = (candidate, edits, similarity, products);
            }
        }
        return best?.Word;
    }

    private static IEnumerable<int> WordsStartingWith(CatalogIndexState state, string prefix)
    {
        var words = state.SortedWords;
        var at = LowerBound(words, prefix, w => w.Word);
        for (; at < words.Length && words[at].Word.StartsWith(prefix, StringComparison.Ordinal); at++)
        {
            yield return words[at].Id;
        }
    }

    private static int LowerBound<T>(T[] sorted, string key, Func<T, string> text)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(text(sorted[middle]), key) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>The stems a query word matches: its own; for the last word also every stem that starts with it and the stems of catalog words that start with it.</summary>
    private static int[] StemsOf(CatalogIndexState state, string word, bool last)
    {
        var plain = CatalogText.Plain(word);
        var stem = CatalogText.Stem(plain);
        var ids = new HashSet<int>();
        if (state.StemIds.TryGetValue(stem, out var id))
        {
            ids.Add(id);
        }
        if (last)
        {
            var stems = state.SortedStems;
            for (var at = LowerBound(stems, stem, s => s.Stem); at < stems.Length && stems[at].Stem.StartsWith(stem, StringComparison.Ordinal); at++)
            {
                ids.Add(stems[at].Id);
            }
            foreach (var wordId in WordsStartingWith(state, plain))
            {
                ids.Add(state.WordStems[wordId]);
            }
        }
        var result = ids.ToArray();
        Array.Sort(result);
        return result;
    }

    public static ProductPage Run(CatalogIndexState state, ProductSearch search, IReadOnlyList<string> words, string imageBase)
    {
        // Which categories and brands are chosen (a category with everything under it).
        bool[]? categories = null;
        if (search.Categories.Count > 0)
        {
            categories = new bool[state.Categories.Keys.DefaultIfEmpty(0).Max() + 1];
            var queue = new Queue<int>(search.Categories.Select(slug => state.CategoriesBySlug.GetValueOrDefault(slug)?.Id ?? -1).Where(id => id >= 0));
            while (queue.TryDequeue(out var id))
            {
                if (!categories[id])
                {
                    categories[id] = true;
                    foreach (var child in state.Categories.Values.Where(c => c.ParentId == id))
                    {
                        queue.Enqueue(child.Id);
                    }
                }
            }
        }
        HashSet<int>? brands = search.Brands.Count > 0
            ? [.. search.Brands.Select(slug => state.BrandsBySlug.GetValueOrDefault(slug)?.Id ?? -1)]
            : null;

        // Candidates: every word's stems (ANDed), else the chosen categories' products, else all.
        var wordStems = words.Select((w, i) => StemsOf(state, w, i == words.Count - 1)).ToList();
        IEnumerable<int> candidates;
        // Buffers come from the array pool: a listing over 30,000 products allocates no large arrays (they would make
        // the garbage collector walk the whole index).
        using var buffers = new Buffers();
        if (wordStems.Count > 0)
        {
            ArraySegment<int>? matched = null;
            foreach (var stems in wordStems.OrderBy(s => s.Sum(id => state.StemPostings[id].Length)))
            {
                var union = Union(stems.Select(id => state.StemPostings[id]).ToList(), buffers);
                matched = matched is { } m ? Intersect(m, union, buffers) : union;
                if (matched.Value.Count == 0)
                {
                    break;
                }
            }
            candidates = matched ?? [];
        }
        else if (categories is not null)
        {
            // A product sits in one category: the chosen categories' postings one after the other hold no repeats.
            candidates = Enumerable.Range(0, categories.Length).Where(id => categories[id])
                .SelectMany(id => state.CategoryPostings.GetValueOrDefault(id, []));
        }
        else
        {
            candidates = Enumerable.Range(0, state.Products.Length);
        }

        // Option filters by name (sorted, as the facet rule "ignores its own filter" needs): per option value, the
        // filter it satisfies, and the filter that is about its option.
        var filters = search.Options.Select(o => o.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        var satisfies = new int[state.Options.Count];
        var filterOfKey = new int[state.Options.Count];
        foreach (var option in state.Options)
        {
            var index = Array.IndexOf(filters, option.LowerKey);
            filterOfKey[option.Id] = index;
            satisfies[option.Id] = index >= 0 && search.Options.Any(o => o.Name == option.LowerKey && o.Values.Contains(option.LowerValue)) ? 1 << index : 0;
        }
        var allFilters = (1 << filters.Length) - 1;

        var specs = SpecQuery.Create(state, search, categories is null ? [] : Applicable(state, search.Categories));

        using var hits = new Pooled<Hit>(1024);
        var categoryCounts = new Dictionary<int, int>();
        var brandCounts = new Dictionary<int, int>();
        var optionCounts = new int[state.Options.Count];
        var optionSeen = new int[state.Options.Count];
        Array.Fill(optionSeen, -1);

        // Price bounds in cents (prices have two decimals): price >= 10.005 is cents >= 1001, price <= 10.005 is cents <= 1000.
        var minCents = search.MinPrice is { } min ? (long)Math.Ceiling(min * 100) : long.MinValue;
        var maxCents = search.MaxPrice is { } max ? (long)Math.Floor(max * 100) : long.MaxValue;
        var stockOnly = search.InStock;
        var minRating = search.MinRating;
        var prices = state.VariantPrice;
        var available = state.VariantAvailable;
        var optionStart = state.VariantOptionStart;
        var variantOptions = state.VariantOptions;

        foreach (var id in candidates)
        {
            if (state.Products[id] is not { VariantCount: > 0 } product
                || categories is not null && (product.CategoryId >= categories.Length || !categories[product.CategoryId])
                || minRating is { } least && !(product.Rating.Average >= least))
            {
                continue;
            }
            var specMissing = specs.Missing(product);
            if ((specMissing & (specMissing - 1)) != 0)
            {
                continue; // two spec filters it fails: neither a hit nor in any facet
            }
            var inBrand = brands is null || brands.Contains(product.BrandId);
            var matches = false;
            int priceFrom = 0, priceTo = 0;
            var inStock = false;
            var summary = product.Summary;
            if (summary.MaxCents < minCents || summary.MinCents > maxCents || stockOnly && !summary.AnyAvailable)
            {
                continue; // no variant fits: neither a hit nor in any facet
            }
            if (allFilters == 0 && summary.MinCents >= minCents && summary.MaxCents <= maxCents && (!stockOnly || summary.AllAvailable))
            {
                // Every variant fits: the summary answers without the loop.
                (matches, priceFrom, priceTo, inStock) = (true, summary.MinCents, summary.MaxCents, summary.AnyAvailable);
                if (inBrand && specMissing == 0)
                {
                    foreach (var option in summary.Options)
                    {
                        optionCounts[option]++;
                    }
                }
            }
            else if (allFilters != 0 && BitOperations.PopCount((uint)(allFilters & ~ProductSatisfies(summary.Options, satisfies))) >= 2)
            {
                continue; // two filters no variant meets: neither a hit nor in any facet
            }
            else
            {
            for (int v = product.FirstVariant, end = product.FirstVariant + product.VariantCount; v < end; v++)
            {
                var price = prices[v];
                if (price < minCents || price > maxCents || stockOnly && available[v] <= 0)
                {
                    continue;
                }
                int from = optionStart[v], to = optionStart[v + 1];
                var satisfied = 0;
                for (var o = from; o < to; o++)
                {
                    satisfied |= satisfies[variantOptions[o]];
                }
                var missing = allFilters & ~satisfied;
                if (missing == 0)
                {
                    priceFrom = matches ? Math.Min(priceFrom, price) : price;
                    priceTo = matches ? Math.Max(priceTo, price) : price;
                    inStock |= available[v] > 0;
                    matches = true;
                }
                if (!inBrand || specMissing != 0 || (missing & (missing - 1)) != 0)
                {
                    continue;
                }
                // Option facets: a value counts when the variant meets every other filter (its own option's may miss).
                var onlyMissing = missing == 0 ? -1 : BitOperations.TrailingZeroCount(missing);
                for (var o = from; o < to; o++)
                {
                    var option = variantOptions[o];
                    if ((onlyMissing < 0 || filterOfKey[option] == onlyMissing) && optionSeen[option] != id)
                    {
                        optionSeen[option] = id;
                        optionCounts[option]++;
                    }
                }
            }
            }
            if (!matches)
            {
                continue;
            }
            if (specMissing != 0)
            {
                // Fails one spec filter only: counted in that spec's facet (which ignores its own filter), nowhere else.
                if (inBrand)
                {
                    specs.Count(product, BitOperations.TrailingZeroCount(specMissing));
                }
                continue;
            }
            if (inBrand)
            {
                specs.Count(product, -1);
            }
            brandCounts[product.BrandId] = brandCounts.GetValueOrDefault(product.BrandId) + 1;
            if (!inBrand)
            {
                continue;
            }
            categoryCounts[product.CategoryId] = categoryCounts.GetValueOrDefault(product.CategoryId) + 1;
            hits.Add(new Hit(product, Cents(priceFrom), Cents(priceTo), inStock, wordStems.Count > 0 ? Rank(product, wordStems) : 0,
                specs.SortKey is { } sortKey ? product.Spec(sortKey) : double.NaN));
        }

        var offset = (search.Page - 1) * search.PageSize;
        var page = Page(hits.Items.AsSpan(0, hits.Count), search.Sort == ProductSort.Spec ? SpecComparer(specs.SortDescending) : Comparer(search.Sort), offset, search.PageSize);
        var colours = search.Options.FirstOrDefault(o => o.Name == "colour")?.Values.Select(Slug.From).ToHashSet() ?? [];
        var items = page.Select(h => new ProductSummary(
            h.Product.Id, h.Product.Slug, h.Product.Name,
            state.Brands.GetValueOrDefault(h.Product.BrandId)?.Name ?? "", state.Brands.GetValueOrDefault(h.Product.BrandId)?.Slug ?? "",
            state.Categories.GetValueOrDefault(h.Product.CategoryId)?.Name ?? "", state.Categories.GetValueOrDefault(h.Product.CategoryId)?.Slug ?? "",
            h.PriceFrom, h.PriceTo, h.InStock,
            $"{imageBase}{h.Product.Id}/images/{h.Product.Images.FirstOrDefault(colours.Contains) ?? h.Product.Images.FirstOrDefault() ?? "default"}.svg",
            h.Product.Rating))
            .ToList();

        var facets = new ProductFacets(
            [.. categoryCounts.Select(c => (Category: state.Categories[c.Key], Count: c.Value))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Category.Name, StringComparer.Ordinal)
                .Select(c => new FacetValue(c.Category.Slug, c.Category.Name, c.Count))],
            [.. brandCounts.Select(b => (Brand: state.Brands[b.Key], Count: b.Value))
                .OrderByDescending(b => b.Count).ThenBy(b => b.Brand.Name, StringComparer.Ordinal)
                .Select(b => new FacetValue(b.Brand.Slug, b.Brand.Name, b.Count))],
            state.Options.Where(o => optionCounts[o.Id] > 0)
                .GroupBy(o => o.Key)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<FacetValue>)[.. g
                    .Select(o => new FacetValue(o.Value, null, optionCounts[o.Id]))
                    .OrderBy(v => v.Value, OptionValueOrder.Instance)]),
            specs.Facets());
        return new ProductPage(items, hits.Count, search.Page, search.PageSize, facets, null);
    }

    /// <summary>
    /// The spec definitions of a listing's chosen categories: those every chosen category's products have (a category's
    /// own and its ancestors'), in the first category's sheet order. Unknown categories have none.
    /// </summary>
    public static SpecDefinition[] Applicable(CatalogIndexState state, IReadOnlyList<string> categorySlugs)
    {
        SpecDefinition[]? common = null;
        foreach (var slug in categorySlugs)
        {
            var own = state.CategoriesBySlug.GetValueOrDefault(slug) is { } category ? state.SpecsOfCategory.GetValueOrDefault(category.Id, []) : [];
            common = common is null ? own : [.. common.Where(d => own.Any(o => o.Key == d.Key && o.Kind == d.Kind && o.Unit == d.Unit))];
        }
        return common ?? [];
    }

    /// <summary>By the spec value (NaN: no value, last), then the product id.</summary>
    private static Comparison<Hit> SpecComparer(bool descending) => (a, b) =>
    {
        var aMissing = double.IsNaN(a.SpecValue);
        var bMissing = double.IsNaN(b.SpecValue);
        if (aMissing != bMissing)
        {
            return aMissing ? 1 : -1;
        }
        if (!aMissing && a.SpecValue != b.SpecValue)
        {
            return descending ? b.SpecValue.CompareTo(a.SpecValue) : a.SpecValue.CompareTo(b.SpecValue);
        }
        return a.Product.Id.CompareTo(b.Product.Id);
    };

    private static int ProductSatisfies(int[] options, int[] satisfies)
    {
        var satisfied = 0;
        foreach (var option in options)
        {
            satisfied |= satisfies[option];
        }
        return satisfied;
    }

    /// <summary>Cents as a price with two decimals (150.00, as PostgreSQL's numeric(10, 2) gave it).</summary>
    private static decimal Cents(int cents) => new(cents, 0, 0, false, 2);

    /// <summary>Every word in the name first (1), then how heavy the fields holding the words are (below 1).</summary>
    private static double Rank(IndexedProduct product, List<int[]> wordStems)
    {
        var inName = true;
        var weight = 0.0;
        foreach (var stems in wordStems)
        {
            byte fields = 0;
            foreach (var stem in stems)
            {
                var at = Array.BinarySearch(product.Stems, stem);
                if (at >= 0)
                {
                    fields |= product.Fields[at];
                }
            }
            inName &= (fields & CatalogIndexState.Name) != 0;
            weight += (fields & CatalogIndexState.Name) != 0 ? NameWeight
                : (fields & CatalogIndexState.Labels) != 0 ? LabelsWeight
                : (fields & CatalogIndexState.Description) != 0 ? DescriptionWeight
                : OptionsWeight;
        }
        return (inName ? 1 : 0) + 0.99 * weight / wordStems.Count;
    }

    private static Comparison<Hit> Comparer(ProductSort sort) => sort switch
    {
        ProductSort.PriceAsc => (a, b) => a.PriceFrom != b.PriceFrom ? a.PriceFrom.CompareTo(b.PriceFrom) : a.Product.Id.CompareTo(b.Product.Id),
        ProductSort.PriceDesc => (a, b) => a.PriceFrom != b.PriceFrom ? b.PriceFrom.CompareTo(a.PriceFrom) : a.Product.Id.CompareTo(b.Product.Id),
        ProductSort.Newest => (a, b) => a.Product.CreatedAt != b.Product.CreatedAt ? b.Product.CreatedAt.CompareTo(a.Product.CreatedAt) : b.Product.Id.CompareTo(a.Product.Id),
        ProductSort.BestSelling => (a, b) => a.Product.UnitsSold != b.Product.UnitsSold ? b.Product.UnitsSold.CompareTo(a.Product.UnitsSold) : a.Product.Id.CompareTo(b.Product.Id),
        ProductSort.Rating => CompareRating,
        ProductSort.Name => (a, b) => string.CompareOrdinal(a.Product.Name, b.Product.Name) is var c && c != 0 ? c : a.Product.Id.CompareTo(b.Product.Id),
        _ => (a, b) => a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank)
            : a.Product.UnitsSold != b.Product.UnitsSold ? b.Product.UnitsSold.CompareTo(a.Product.UnitsSold)
            : a.Product.Id.CompareTo(b.Product.Id),
    };

    /// <summary>Highest average first, then more reviews, then best-selling; products without reviews after every rated one.</summary>
    private static int CompareRating(Hit a, Hit b)
    {
        var (x, y) = (a.Product.Rating, b.Product.Rating);
        if (x.Average != y.Average)
        {
            return x.Average is null ? 1 : y.Average is null ? -1 : y.Average.Value.CompareTo(x.Average.Value);
        }
        return x.Count != y.Count ? y.Count.CompareTo(x.Count)
            : a.Product.UnitsSold != b.Product.UnitsSold ? b.Product.UnitsSold.CompareTo(a.Product.UnitsSold)
            : a.Product.Id.CompareTo(b.Product.Id);
    }

    /// <summary>Hits <paramref name="offset"/> to offset + count in order: a full sort when the page is deep into the hits, else a bounded heap.</summary>
    private static List<Hit> Page(Span<Hit> hits, Comparison<Hit> compare, int offset, int count)
    {
        var needed = offset + count;
        if (offset >= hits.Length)
        {
            return [];
        }
        if ((long)needed * 4 >= hits.Length)
        {
            hits.Sort(compare);
            return [.. hits.Slice(offset, Math.Min(count, hits.Length - offset))];
        }
        // The best `needed` hits: a heap whose top is the worst kept.
        var heap = new PriorityQueue<Hit, Hit>(needed + 1, Comparer<Hit>.Create((a, b) => compare(b, a)));
        foreach (var hit in hits)
        {
            if (heap.Count < needed)
            {
                heap.Enqueue(hit, hit);
            }
            else if (compare(hit, heap.Peek()) < 0)
            {
                heap.EnqueueDequeue(hit, hit);
            }
        }
        var best = new List<Hit>(heap.Count);
        while (heap.TryDequeue(out var hit, out _))
        {
            best.Add(hit);
        }
        best.Reverse();
        return best.GetRange(offset, Math.Min(count, best.Count - offset));
    }

    /// <summary>A growing list in pooled arrays.</summary>
    private sealed class Pooled<T>(int capacity) : IDisposable
    {
        public T[] Items = ArrayPool<T>.Shared.Rent(capacity);
        public int Count;

        public void Add(T item)
        {
            if (Count == Items.Length)
            {
                var bigger = ArrayPool<T>.Shared.Rent(Items.Length * 2);
                Array.Copy(Items, bigger, Count);
                ArrayPool<T>.Shared.Return(Items, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
                Items = bigger;
            }
            Items[Count++] = item;
        }

        public void Dispose() => ArrayPool<T>.Shared.Return(Items, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
    }

    /// <summary>Pooled id arrays of one query, given back at its end.</summary>
    private sealed class Buffers : IDisposable
    {
        private readonly List<int[]> _rented = [];

        public int[] Rent(int length)
        {
            var array = ArrayPool<int>.Shared.Rent(Math.Max(length, 16));
            _rented.Add(array);
            return array;
        }

        public void Dispose()
        {
            foreach (var array in _rented)
            {
                ArrayPool<int>.Shared.Return(array);
            }
        }
    }

    private static ArraySegment<int> Union(List<int[]> lists, Buffers buffers)
    {
        lists.RemoveAll(l => l.Length == 0);
        if (lists.Count <= 1)
        {
            return lists.Count == 0 ? [] : lists[0];
        }
        var merged = buffers.Rent(lists.Sum(l => l.Length));
        var at = 0;
        foreach (var list in lists)
        {
            list.CopyTo(merged, at);
            at += list.Length;
        }
        merged.AsSpan(0, at).Sort();
        var unique = 0;
        for (var i = 0; i < at; i++)
        {
            if (i == 0 || merged[i] != merged[i - 1])
            {
                merged[unique++] = merged[i];
            }
        }
        return new ArraySegment<int>(merged, 0, unique);
    }

    private static ArraySegment<int> Intersect(ArraySegment<int> a, ArraySegment<int> b, Buffers buffers)
    {
        var result = buffers.Rent(Math.Min(a.Count, b.Count));
        int i = 0, j = 0, n = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i] < b[j])
            {
                i++;
            }
            else if (a[i] > b[j])
            {
                j++;
            }
            else
            {
                result[n++] = a[i];
                i++;
                j++;
            }
        }
        return new ArraySegment<int>(result, 0, n);
    }
}
