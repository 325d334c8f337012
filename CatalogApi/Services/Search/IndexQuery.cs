using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using CatalogApi.Model;
using CatalogApi.Services.Specs;

namespace CatalogApi.Services.Search;

/// <summary>
/// One listing over <see cref="CatalogIndexState"/>: candidates from the postings (the words' stems, else the chosen
/// categories, else every product), then one pass over them and their variants that decides the hits and counts every
/// facet (reading the state's product rows and option masks, not the product objects), then the page (a bounded heap of
/// the best offset + page size: page 50 costs what page 1 does, plus its 1,200 rows).
/// </summary>
internal static class IndexQuery
{
    private const double NameWeight = 1.0, LabelsWeight = 0.4, DescriptionWeight = 0.2, OptionsWeight = 0.1;

    /// <summary>A hit: its prices in cents, and its place in the sort's order (<see cref="SortKeys"/>).</summary>
    private readonly record struct Hit(int Id, int PriceFrom, int PriceTo, bool InStock, (long, long) Keys);

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
        // Buffers come from the array pool: a listing over 30,000 products allocates no large arrays (they would make
        // the garbage collector walk the whole index).
        using var buffers = new Buffers();

        // Which categories and brands are chosen (a category with everything under it).
        bool[]? categories = null;
        if (search.Categories.Count > 0)
        {
            categories = new bool[state.CategoryLimit];
            var queue = new Queue<int>(search.Categories.Select(slug => state.CategoriesBySlug.GetValueOrDefault(slug)?.Id ?? -1).Where(id => id >= 0));
            while (queue.TryDequeue(out var id))
            {
                if (id < categories.Length && !categories[id])
                {
                    categories[id] = true;
                    foreach (var child in state.Categories.Values.Where(c => c.ParentId == id))
                    {
                        queue.Enqueue(child.Id);
                    }
                }
            }
        }
        bool[]? brands = null;
        if (search.Brands.Count > 0)
        {
            brands = new bool[state.BrandLimit];
            foreach (var slug in search.Brands)
            {
                if (state.BrandsBySlug.GetValueOrDefault(slug) is { } brand && brand.Id < brands.Length)
                {
                    brands[brand.Id] = true;
                }
            }
        }

        // Candidates: every word's stems (ANDed), else the chosen categories' products, else all.
        var wordStems = words.Select((w, i) => StemsOf(state, w, i == words.Count - 1)).ToList();
        ArraySegment<int> candidates;
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
            // The chosen categories' products with those under them, in id order (memory order).
            candidates = Union([.. search.Categories.Select(slug => state.CategoriesBySlug.GetValueOrDefault(slug) is { } category
                ? state.CategoryPostings.GetValueOrDefault(category.Id, []) : [])], buffers);
        }
        else
        {
            var all = buffers.Rent(state.Products.Length);
            for (var id = 0; id < state.Products.Length; id++)
            {
                all[id] = id;
            }
            candidates = new ArraySegment<int>(all, 0, state.Products.Length);
        }

        // Option filters by name (sorted, as the facet rule "ignores its own filter" needs): per option value, the
        // filter it satisfies, and the filter that is about its option.
        var filters = search.Options.Select(o => o.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        var satisfies = buffers.Rent(state.Options.Count);
        var filterOfKey = buffers.Rent(state.Options.Count);
        foreach (var option in state.Options)
        {
            var index = Array.IndexOf(filters, option.LowerKey);
            filterOfKey[option.Id] = index;
            satisfies[option.Id] = index >= 0 && search.Options.Any(o => o.Name == option.LowerKey && o.Values.Contains(option.LowerValue)) ? 1 << index : 0;
        }
        var allFilters = (1 << filters.Length) - 1;

        var specs = SpecQuery.Create(state, search, categories is null ? [] : Applicable(state, search.Categories));

        using var hits = new Pooled<Hit>(1024);
        var categoryCounts = buffers.Rent(state.CategoryLimit, clear: true);
        var brandCounts = buffers.Rent(state.BrandLimit, clear: true);
        var optionCounts = buffers.Rent(state.Options.Count, clear: true);
        var optionSeen = buffers.Rent(state.Options.Count);
        Array.Fill(optionSeen, -1);

        // Price bounds in cents (prices have two decimals): price >= 10.005 is cents >= 1001, price <= 10.005 is cents <= 1000.
        var minCents = search.MinPrice is { } min ? (long)Math.Ceiling(min * 100) : long.MinValue;
        var maxCents = search.MaxPrice is { } max ? (long)Math.Floor(max * 100) : long.MaxValue;
        // Ratings are kept in millionths: average >= 4.25 is millionths >= 4,250,000.
        var minRating = search.MinRating is { } least ? (int)Math.Ceiling(least * 1_000_000) : int.MinValue;
        var stockOnly = search.InStock;
        var sort = search.Sort;
        var prices = state.VariantPrice;
        var available = state.VariantAvailable;
        var optionStart = state.VariantOptionStart;
        var variantOptions = state.VariantOptions;
        var rows = state.Rows;
        var optionRows = state.OptionRows;
        var specRows = state.SpecRows;
        Span<ulong> filterVariants = stackalloc ulong[filters.Length];
        Span<ulong> allBut = stackalloc ulong[filters.Length];

        // Relevance: the fields holding each word, per candidate, read from the stems' postings in order.
        using var relevance = sort == ProductSort.Relevance && wordStems.Count > 0 ? new WordFields(state, wordStems, candidates) : null;
        for (var candidate = 0; candidate < candidates.Count; candidate++)
        {
            // The rows a few candidates ahead are asked of memory now: the loop waits on memory, not on arithmetic.
            if (candidate + PrefetchDistance < candidates.Count)
            {
                Prefetch(ref rows[candidates[candidate + PrefetchDistance]]);
                ref readonly var next = ref rows[candidates[candidate + PrefetchDistance / 2]];
                if (next.VariantCount > 0)
                {
                    Prefetch(ref prices[next.FirstVariant]);
                }
                if (next.OptionCount > 0)
                {
                    Prefetch(ref optionRows[next.OptionFirst]);
                }
                if (next.SpecCount > 0 && (specs.Filters || specs.Facets))
                {
                    Prefetch(ref specRows[next.SpecFirst]);
                }
            }
            var id = candidates[candidate];
            ref readonly var row = ref rows[id];
            if (row.VariantCount == 0
                || categories is not null && (row.CategoryId >= categories.Length || !categories[row.CategoryId])
                || row.Rating < minRating)
            {
                continue;
            }
            var specMissing = specs.Filters ? specs.Missing(state.SpecsOf(row)) : 0;
            if ((specMissing & (specMissing - 1)) != 0)
            {
                continue; // two spec filters it fails: neither a hit nor in any facet
            }
            var inBrand = brands is null || row.BrandId < brands.Length && brands[row.BrandId];
            var matches = false;
            int priceFrom = 0, priceTo = 0;
            var inStock = false;
            int first = row.FirstVariant, end = first + row.VariantCount;
            if (row.MaxCents < minCents || row.MinCents > maxCents || stockOnly && (row.Stock & CatalogIndexState.AnyAvailable) == 0)
            {
                continue; // no variant fits: neither a hit nor in any facet
            }
            var count = row.VariantCount;
            if ((row.Stock & CatalogIndexState.Masked) != 0)
            {
                // The product's variants as bits: those that fit the price and stock, per filter those that meet it.
                var allVariants = (1UL << count) - 1;
                var fits = allVariants;
                if (row.MinCents < minCents || row.MaxCents > maxCents)
                {
                    fits = 0;
                    for (var v = 0; v < count; v++)
                    {
                        var price = prices[first + v];
                        fits |= price >= minCents && price <= maxCents ? 1UL << v : 0;
                    }
                }
                if (stockOnly)
                {
                    fits &= row.AvailableVariants;
                }
                int rowFirst = row.OptionFirst, rowEnd = rowFirst + row.OptionCount;
                filterVariants.Clear();
                for (var r = rowFirst; r < rowEnd && allFilters != 0; r++)
                {
                    var option = (int)(optionRows[r] >> 48);
                    if (satisfies[option] != 0)
                    {
                        filterVariants[filterOfKey[option]] |= optionRows[r];
                    }
                }
                var hitVariants = fits;
                foreach (var variants in filterVariants)
                {
                    hitVariants &= variants;
                }
                hitVariants &= CatalogIndexState.VariantBits;
                if (hitVariants == allVariants)
                {
                    (matches, priceFrom, priceTo, inStock) = (true, row.MinCents, row.MaxCents, (row.Stock & CatalogIndexState.AnyAvailable) != 0);
                }
                else if (hitVariants != 0)
                {
                    (matches, priceFrom, priceTo, inStock) = (true, int.MaxValue, int.MinValue, (hitVariants & row.AvailableVariants) != 0);
                    for (var bits = hitVariants; bits != 0; bits &= bits - 1)
                    {
                        var price = prices[first + BitOperations.TrailingZeroCount(bits)];
                        priceFrom = Math.Min(priceFrom, price);
                        priceTo = Math.Max(priceTo, price);
                    }
                }
                if (inBrand && specMissing == 0 && fits != 0)
                {
                    // Option facets: a value counts when a variant that has it meets every other filter (its own option's may miss).
                    for (var f = 0; f < filterVariants.Length; f++)
                    {
                        allBut[f] = fits;
                        for (var g = 0; g < filterVariants.Length; g++)
                        {
                            allBut[f] &= g == f ? ulong.MaxValue : filterVariants[g];
                        }
                    }
                    for (var r = rowFirst; r < rowEnd; r++)
                    {
                        var option = (int)(optionRows[r] >> 48);
                        if ((optionRows[r] & (filterOfKey[option] < 0 ? hitVariants : allBut[filterOfKey[option]])) != 0)
                        {
                            optionCounts[option]++;
                        }
                    }
                }
            }
            else
            {
                // More variants than bits: the loop over them.
                for (var v = first; v < end; v++)
                {
                    var price = prices[v];
                    if (price < minCents || price > maxCents || stockOnly && available[v] <= 0)
                    {
                        continue;
                    }
                    int from = optionStart[v], to = optionStart[v + 1];
                    var missing = allFilters & ~Satisfied(variantOptions, from, to, satisfies);
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
                    specs.Count(state.SpecsOf(row), BitOperations.TrailingZeroCount(specMissing));
                }
                continue;
            }
            if (inBrand && specs.Facets)
            {
                specs.Count(state.SpecsOf(row), -1);
            }
            brandCounts[row.BrandId]++;
            if (!inBrand)
            {
                continue;
            }
            categoryCounts[row.CategoryId]++;
            hits.Add(new Hit(id, priceFrom, priceTo, inStock, SortKeys(state, sort, specs, relevance, candidate, id, priceFrom)));
        }

        var offset = (search.Page - 1) * search.PageSize;
        var page = Page(hits.Items.AsSpan(0, hits.Count), offset, search.PageSize);
        var colours = search.Options.FirstOrDefault(o => o.Name == "colour")?.Values.Select(Slug.From).ToHashSet() ?? [];
        var items = page.Select(h => state.Products[h.Id]! is var product ? new ProductSummary(
            product.Id, product.Slug, product.Name,
            state.Brands.GetValueOrDefault(product.BrandId)?.Name ?? "", state.Brands.GetValueOrDefault(product.BrandId)?.Slug ?? "",
            state.Categories.GetValueOrDefault(product.CategoryId)?.Name ?? "", state.Categories.GetValueOrDefault(product.CategoryId)?.Slug ?? "",
            Cents(h.PriceFrom), Cents(h.PriceTo), h.InStock,
            $"{imageBase}{product.Id}/images/{product.Images.FirstOrDefault(colours.Contains) ?? product.Images.FirstOrDefault() ?? "default"}.svg",
            product.Rating) : null!)
            .ToList();

        var facets = new ProductFacets(
            [.. Enumerable.Range(0, state.CategoryLimit).Where(c => categoryCounts[c] > 0)
                .Select(c => (Category: state.Categories[c], Count: categoryCounts[c]))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Category.Name, StringComparer.Ordinal)
                .Select(c => new FacetValue(c.Category.Slug, c.Category.Name, c.Count))],
            [.. Enumerable.Range(0, state.BrandLimit).Where(b => brandCounts[b] > 0)
                .Select(b => (Brand: state.Brands[b], Count: brandCounts[b]))
                .OrderByDescending(b => b.Count).ThenBy(b => b.Brand.Name, StringComparer.Ordinal)
                .Select(b => new FacetValue(b.Brand.Slug, b.Brand.Name, b.Count))],
            state.Options.Where(o => optionCounts[o.Id] > 0)
                .GroupBy(o => o.Key)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<FacetValue>)[.. g
                    .Select(o => new FacetValue(o.Value, null, optionCounts[o.Id]))
                    .OrderBy(v => v.Value, OptionValueOrder.Instance)]),
            specs.FacetValues());
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

    /// <summary>
    /// The order of the listing's sort as two numbers per hit, smaller first, then the product id: name (its rank among all names),
    /// relevance (its rank, then best-selling), price, newest, best-selling, rating (rated first, by <see cref="RatingScore"/>,
    /// count, units sold), a spec's value (products without one last).
    /// </summary>
    private static (long, long) SortKeys(
        CatalogIndexState state, ProductSort sort, SpecQuery specs, WordFields? relevance, int candidate, int id, int priceFrom) => sort switch
    {
        ProductSort.PriceAsc => (priceFrom, 0),
        ProductSort.PriceDesc => (-priceFrom, 0),
        ProductSort.Newest => (-state.CreatedTicks[id], -id),
        ProductSort.BestSelling => (-state.Rows[id].UnitsSold, 0),
        ProductSort.Rating => (state.Rows[id].Rating < 0 ? long.MaxValue : -RatingScore(state.Rows[id].Rating, state.Rows[id].RatingCount),
            -((long)state.Rows[id].RatingCount << 32 | (uint)state.Rows[id].UnitsSold)),
        ProductSort.Name => (state.NameRanks[id], 0),
        ProductSort.Spec => (SpecKey(specs.SortKey is { } key && key >= 0 ? SpecQuery.Value(state.SpecsOf(state.Rows[id]), key) : double.NaN, specs.SortDescending), 0),
        _ => (-BitConverter.DoubleToInt64Bits(relevance?.Rank(candidate) ?? 0), -state.Rows[id].UnitsSold),
    };

    /// <summary>The reviews a rating is taken to start from, and their stars: <see cref="RatingScore"/>'s prior.</summary>
    internal const int PriorReviews = 5, PriorStarsMillionths = 3_000_000;

    /// <summary>
    /// A rating for sorting (millionths of a star): the average as if <see cref="PriorReviews"/> three-star reviews came
    /// first (a Bayesian average), so one five-star review (3.33) ranks below 4.8 from 37 reviews (4.59).
    /// </summary>
    internal static long RatingScore(int averageMillionths, int count) =>
        ((long)PriorReviews * PriorStarsMillionths + (long)count * averageMillionths) / (PriorReviews + count);

    /// <summary>A spec value as a number that sorts as the value does (NaN, no value, last either way).</summary>
    private static long SpecKey(double value, bool descending)
    {
        if (double.IsNaN(value))
        {
            return long.MaxValue;
        }
        var bits = BitConverter.DoubleToInt64Bits(value + 0.0); // -0 is 0
        var key = bits >= 0 ? bits : bits ^ long.MaxValue;
        return descending ? -key : key;
    }

    private const int PrefetchDistance = 8;

    /// <summary>Asks the processor to bring the cache lines of <paramref name="item"/> in (both, when it spans two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch<T>(ref T item) where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            var at = (byte*)Unsafe.AsPointer(ref item);
            Sse.Prefetch0(at);
            Sse.Prefetch0(at + sizeof(T) - 1);
        }
    }

    private readonly struct ByKeys : IComparer<Hit>
    {
        public int Compare(Hit a, Hit b) =>
            a.Keys.Item1 != b.Keys.Item1 ? a.Keys.Item1.CompareTo(b.Keys.Item1)
            : a.Keys.Item2 != b.Keys.Item2 ? a.Keys.Item2.CompareTo(b.Keys.Item2)
            : a.Id.CompareTo(b.Id);
    }

    private static int Satisfied(int[] variantOptions, int from, int to, int[] satisfies)
    {
        var satisfied = 0;
        for (var o = from; o < to; o++)
        {
            satisfied |= satisfies[variantOptions[o]];
        }
        return satisfied;
    }

    /// <summary>Cents as a price with two decimals (150.00, as PostgreSQL's numeric(10, 2) gave it).</summary>
    private static decimal Cents(int cents) => new(cents, 0, 0, false, 2);

    /// <summary>
    /// For each query word, per candidate (by its place among the candidates), the fields holding the word: the OR over
    /// its stems of the fields kept beside each stem's postings, read by walking the postings beside the candidates (both
    /// in id order), so ranking thousands of hits reads no product object.
    /// </summary>
    private sealed class WordFields : IDisposable
    {
        private readonly List<byte[]> _words = [];

        public WordFields(CatalogIndexState state, List<int[]> wordStems, ArraySegment<int> candidates)
        {
            var ids = candidates.AsSpan();
            foreach (var stems in wordStems)
            {
                var fields = ArrayPool<byte>.Shared.Rent(Math.Max(ids.Length, 16));
                Array.Clear(fields, 0, ids.Length);
                _words.Add(fields);
                foreach (var stem in stems)
                {
                    var postings = state.StemPostings[stem];
                    var stemFields = state.StemFields[stem];
                    if (postings.Length > 16 * ids.Length)
                    {
                        // Few candidates in a long list: look each one up.
                        for (int i = 0, from = 0; i < ids.Length && from < postings.Length; i++)
                        {
                            var at = Array.BinarySearch(postings, from, postings.Length - from, ids[i]);
                            if (at >= 0)
                            {
                                fields[i] |= stemFields[at];
                            }
                            from = at >= 0 ? at + 1 : ~at;
                        }
                        continue;
                    }
                    for (int i = 0, j = 0; i < ids.Length && j < postings.Length;)
                    {
                        if (ids[i] < postings[j])
                        {
                            i++;
                        }
                        else if (ids[i] > postings[j])
                        {
                            j++;
                        }
                        else
                        {
                            fields[i++] |= stemFields[j++];
                        }
                    }
                }
            }
        }

        /// <summary>Every word in the name first (1), then how heavy the fields holding the words are (below 1).</summary>
        public double Rank(int candidate)
        {
            var inName = true;
            var weight = 0.0;
            foreach (var word in _words)
            {
                var fields = word[candidate];
                inName &= (fields & CatalogIndexState.Name) != 0;
                weight += (fields & CatalogIndexState.Name) != 0 ? NameWeight
                    : (fields & CatalogIndexState.Labels) != 0 ? LabelsWeight
                    : (fields & CatalogIndexState.Description) != 0 ? DescriptionWeight
                    : OptionsWeight;
            }
            return (inName ? 1 : 0) + 0.99 * weight / _words.Count;
        }

        public void Dispose()
        {
            foreach (var word in _words)
            {
                ArrayPool<byte>.Shared.Return(word);
            }
        }
    }

    /// <summary>
    /// Hits <paramref name="offset"/> to offset + count in order: a full sort when the page is deep into the hits, else
    /// the best offset + count kept in a bounded heap (its top the worst kept) and only those sorted.
    /// </summary>
    private static List<Hit> Page(Span<Hit> hits, int offset, int count)
    {
        var order = new ByKeys();
        var needed = offset + count;
        if (offset >= hits.Length)
        {
            return [];
        }
        if ((long)needed * 4 >= hits.Length)
        {
            hits.Sort(order);
            return [.. hits.Slice(offset, Math.Min(count, hits.Length - offset))];
        }
        var heap = ArrayPool<Hit>.Shared.Rent(needed);
        try
        {
            var size = 0;
            foreach (var hit in hits)
            {
                if (size < needed)
                {
                    // Up from the new leaf while it is worse than its parent.
                    var at = size++;
                    for (; at > 0 && order.Compare(hit, heap[(at - 1) / 2]) > 0; at = (at - 1) / 2)
                    {
                        heap[at] = heap[(at - 1) / 2];
                    }
                    heap[at] = hit;
                }
                else if (order.Compare(hit, heap[0]) < 0)
                {
                    // Replaces the worst kept, then down while a child is worse.
                    var at = 0;
                    while (true)
                    {
                        var child = 2 * at + 1;
                        if (child >= size)
                        {
                            break;
                        }
                        if (child + 1 < size && order.Compare(heap[child + 1], heap[child]) > 0)
                        {
                            child++;
                        }
                        if (order.Compare(heap[child], hit) <= 0)
                        {
                            break;
                        }
                        heap[at] = heap[child];
                        at = child;
                    }
                    heap[at] = hit;
                }
            }
            var best = heap.AsSpan(0, size);
            best.Sort(order);
            return [.. best.Slice(offset, Math.Min(count, size - offset))];
        }
        finally
        {
            ArrayPool<Hit>.Shared.Return(heap);
        }
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

        public int[] Rent(int length, bool clear = false)
        {
            var array = ArrayPool<int>.Shared.Rent(Math.Max(length, 16));
            _rented.Add(array);
            if (clear)
            {
                Array.Clear(array, 0, length);
            }
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

    /// <summary>The ids in any of <paramref name="lists"/> (each sorted, without repeats), sorted: merged two at a time, never sorted anew.</summary>
    private static ArraySegment<int> Union(List<int[]> lists, Buffers buffers)
    {
        lists.RemoveAll(l => l.Length == 0);
        if (lists.Count <= 1)
        {
            return lists.Count == 0 ? [] : lists[0];
        }
        // Shortest first: each list is copied once per merge it takes part in.
        lists.Sort((a, b) => a.Length.CompareTo(b.Length));
        ArraySegment<int> merged = lists[0];
        for (var l = 1; l < lists.Count; l++)
        {
            merged = Merge(merged, lists[l], buffers);
        }
        return merged;
    }

    private static ArraySegment<int> Merge(ArraySegment<int> a, ArraySegment<int> b, Buffers buffers)
    {
        var result = buffers.Rent(a.Count + b.Count);
        int i = 0, j = 0, n = 0;
        while (i < a.Count && j < b.Count)
        {
            var (x, y) = (a[i], b[j]);
            result[n++] = x <= y ? x : y;
            i += x <= y ? 1 : 0;
            j += y <= x ? 1 : 0;
        }
        a.AsSpan(i).CopyTo(result.AsSpan(n));
        n += a.Count - i;
        b.AsSpan(j).CopyTo(result.AsSpan(n));
        n += b.Count - j;
        return new ArraySegment<int>(result, 0, n);
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
