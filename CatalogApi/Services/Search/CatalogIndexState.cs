using CatalogApi.Model;

namespace CatalogApi.Services.Search;

internal sealed record IndexedBrand(int Id, string Slug, string Name);

internal sealed record IndexedCategory(int Id, int? ParentId, string Slug, string Name, string Path);

/// <summary>An option value as the variants store it ("Colour": "Red"), and in lower case for filters.</summary>
internal sealed record IndexedOption(int Id, string Key, string Value, string LowerKey, string LowerValue);

/// <summary>A variant as listings need it (stored in <see cref="CatalogIndexState"/>'s variant columns).</summary>
internal sealed record LoadedOptions(decimal Price, int Available, IReadOnlyList<KeyValuePair<string, string>> Options);

/// <summary>
/// A product as a listing's page and its text search need it; its variants are <see cref="VariantCount"/> rows of the
/// state's variant columns from <see cref="FirstVariant"/>; <see cref="Stems"/> are sorted stem ids, <see cref="Fields"/>
/// which fields hold each. What every candidate of a listing is checked against is in the state's product columns.
/// </summary>
internal sealed record IndexedProduct(
    int Id, string Slug, string Name, int BrandId, int CategoryId, DateTime CreatedAt, string[] Images, int UnitsSold,
    int FirstVariant, int VariantCount, int[] Stems, byte[] Fields)
{
    /// <summary>The product's rating (average of its visible reviews, how many); <see cref="RatingSummary.None"/> without reviews.</summary>
    public RatingSummary Rating { get; init; } = RatingSummary.None;

    /// <summary>The product's spec values (of its category's definitions), by key id (listings read them from the state's <see cref="CatalogIndexState.SpecRows"/>).</summary>
    public SpecEntry[] Specs { get; init; } = [];
}

/// <summary>A product's row of <see cref="CatalogIndexState.Rows"/>: what a listing checks of every candidate.</summary>
internal struct ProductRow
{
    /// <summary>Which variants are available, a bit each (products marked <see cref="CatalogIndexState.Masked"/>).</summary>
    public ulong AvailableVariants;
    public int CategoryId, BrandId;
    /// <summary>The product's variants: rows of the state's variant columns.</summary>
    public int FirstVariant, VariantCount;
    /// <summary>The variants' cheapest and dearest price in cents, and whether any and all are available (<see cref="CatalogIndexState.AnyAvailable"/>,
    /// <see cref="CatalogIndexState.AllAvailable"/>): they spare most products the look at their variants.</summary>
    public int MinCents, MaxCents;
    /// <summary>The product's option value rows (<see cref="CatalogIndexState.OptionRows"/>).</summary>
    public int OptionFirst, OptionCount;
    /// <summary>The rating's average in millionths (-1: no reviews) and its count.</summary>
    public int Rating, RatingCount;
    public int UnitsSold;
    /// <summary>The product's spec values: <see cref="CatalogIndexState.SpecRows"/> from SpecFirst.</summary>
    public int SpecFirst, SpecCount;
    public byte Stock;
}

/// <summary>A product's value of one spec: <see cref="Key"/> is a key id of the state, <see cref="Value"/> the number or a choice id.</summary>
internal readonly record struct SpecEntry(int Key, double Value);

/// <summary>
/// The data of <see cref="CatalogIndex"/>: products by id, postings (product ids, ascending) per stem and per
/// category, the vocabulary for spelling correction, interned option values. Changed only under the index's write
/// lock, read under its read lock.
/// </summary>
internal sealed class CatalogIndexState
{
    public const byte Name = 8, Labels = 4, Description = 2, OptionValues = 1;

    public IndexedProduct?[] Products = new IndexedProduct?[1024];
    public int ProductCount;
    public Dictionary<int, IndexedBrand> Brands = [];
    public Dictionary<int, IndexedCategory> Categories = [];
    public Dictionary<string, IndexedCategory> CategoriesBySlug = new(StringComparer.Ordinal);
    public Dictionary<string, IndexedBrand> BrandsBySlug = new(StringComparer.Ordinal);

    public readonly Dictionary<string, int> StemIds = new(StringComparer.Ordinal);
    public readonly List<string> Stems = [];
    public readonly List<int[]> StemPostings = [];
    /// <summary>Beside each stem's postings, the fields of that product holding the stem (<see cref="Name"/>, ...): ranking
    /// reads them in posting order instead of each hit's product.</summary>
    public readonly List<byte[]> StemFields = [];
    /// <summary>Per category, the products in it or under it (a top-level category's products in id order are the
    /// candidates of its listing, read in memory order).</summary>
    public readonly Dictionary<int, int[]> CategoryPostings = [];
    /// <summary>Stems in ordinal order with their ids, for prefix search (rebuilt after stems were added).</summary>
    public (string Stem, int Id)[] SortedStems = [];

    public readonly Dictionary<string, int> WordIds = new(StringComparer.Ordinal);
    public readonly List<string> Words = [];
    public readonly List<int> WordStems = [];
    public readonly List<int> WordProducts = [];
    public readonly List<int> WordTrigrams = [];
    public readonly Dictionary<string, List<int>> TrigramWords = new(StringComparer.Ordinal);
    public (string Word, int Id)[] SortedWords = [];

    public readonly List<IndexedOption> Options = [];

    /// <summary>Spec definitions by category id: the category's own and its ancestors' (what its products' sheets hold).</summary>
    public Dictionary<int, Model.SpecDefinition[]> SpecsOfCategory = [];
    /// <summary>Spec keys and choice texts (lower case) as ids; a choice value of a product is its choice id.</summary>
    public readonly Dictionary<string, int> SpecKeyIds = new(StringComparer.Ordinal);
    public readonly Dictionary<string, int> SpecChoiceIds = new(StringComparer.Ordinal);
    public readonly List<string> SpecChoices = [];

    public int SpecKeyId(string key)
    {
        if (!SpecKeyIds.TryGetValue(key, out var id))
        {
            SpecKeyIds[key] = id = SpecKeyIds.Count;
        }
        return id;
    }

    public int SpecChoiceId(string choice)
    {
        var lower = choice.ToLowerInvariant();
        if (!SpecChoiceIds.TryGetValue(lower, out var id))
        {
            SpecChoiceIds[lower] = id = SpecChoices.Count;
            SpecChoices.Add(choice);
        }
        return id;
    }
    private readonly Dictionary<(string, string), int> _optionIds = [];

    // The variants as columns (a tight loop over arrays is what makes a listing of 30,000 products fast): price in
    // cents, available stock, and option value ids (variant v's are VariantOptions[VariantOptionStart[v]..VariantOptionStart[v + 1]]).
    public int[] VariantPrice = new int[1024];
    public int[] VariantAvailable = new int[1024];
    public int[] VariantOptionStart = new int[1025];
    public int[] VariantOptions = new int[2048];
    public int VariantRows;

    /// <summary>
    /// What a listing checks of every candidate, one row per product id (64 bytes: a candidate costs one read of
    /// memory, not a walk over its objects scattered over the heap). A product not listed has VariantCount 0.
    /// </summary>
    public ProductRow[] Rows = new ProductRow[1024];
    /// <summary>When each product was created (ticks), for the newest-first sort.</summary>
    public long[] CreatedTicks = new long[1024];
    /// <summary>
    /// Each listed product's place in the order by name (ordinal, then id), for the by-name sort: a hit compares two
    /// numbers, not two names read from product objects scattered over the heap. Set anew by <see cref="RankNames"/>
    /// after a change of any name (a product added, renamed or gone), not after stock or price changes.
    /// </summary>
    public int[] NameRanks = new int[1024];
    private bool _namesChanged = true;
    /// <summary>The products' spec values, each product's together (<see cref="ProductRow.SpecFirst"/>).</summary>
    public SpecEntry[] SpecRows = new SpecEntry[1024];
    public int SpecRowCount;

    public ReadOnlySpan<SpecEntry> SpecsOf(in ProductRow row) => SpecRows.AsSpan(row.SpecFirst, row.SpecCount);
    public const byte AnyAvailable = 1, AllAvailable = 2, Masked = 4;
    /// <summary>
    /// Per product of up to <see cref="MaskedVariants"/> variants (marked <see cref="Masked"/>), its variants as bits:
    /// for each distinct option value of its variants, the value id in the top 16 bits and which variants have it in
    /// the low 48 (rows <see cref="ProductRow.OptionFirst"/> on). A listing then decides a product's option filters and
    /// option facets with a few AND and OR of these masks, reading one cache line instead of its variants.
    /// </summary>
    public ulong[] OptionRows = new ulong[2048];
    public int OptionRowCount;
    public const ulong VariantBits = (1UL << 48) - 1;
    public const int MaskedVariants = 48;
    /// <summary>Above every category id and brand id (of the dictionaries and the products): the length of a count per id.</summary>
    public int CategoryLimit = 1, BrandLimit = 1;

    private readonly Dictionary<string, string> _stemOfWord = new(StringComparer.Ordinal);

    public IndexedProduct? Product(int id) => id >= 0 && id < Products.Length ? Products[id] : null;

    /// <summary>
    /// Writes a product's variants into the columns: over its old rows when they are enough (a stock change rewrites
    /// them in place), else at the end. Returns the first row.
    /// </summary>
    public int StoreVariants(IReadOnlyList<LoadedOptions> variants, IndexedProduct? old)
    {
        var optionCount = variants.Sum(v => v.Options.Count);
        var first = old is not null && old.VariantCount == variants.Count
            && VariantOptionStart[old.FirstVariant + old.VariantCount] - VariantOptionStart[old.FirstVariant] == optionCount
            ? old.FirstVariant
            : VariantRows;
        if (first == VariantRows)
        {
            VariantRows += variants.Count;
            Grow(ref VariantPrice, VariantRows);
            Grow(ref VariantAvailable, VariantRows);
            Grow(ref VariantOptionStart, VariantRows + 1);
            Grow(ref VariantOptions, VariantOptionStart[first] + optionCount);
        }
        var at = VariantOptionStart[first];
        for (var i = 0; i < variants.Count; i++)
        {
            var row = first + i;
            VariantPrice[row] = (int)(variants[i].Price * 100);
            VariantAvailable[row] = variants[i].Available;
            VariantOptionStart[row] = at;
            foreach (var option in variants[i].Options)
            {
                VariantOptions[at++] = OptionId(option.Key, option.Value);
            }
            VariantOptionStart[row + 1] = at;
        }
        return first;
    }

    private static void Grow<T>(ref T[] column, int length)
    {
        if (column.Length < length)
        {
            Array.Resize(ref column, Math.Max(length, column.Length * 2));
        }
    }

    private int OptionId(string key, string value)
    {
        if (!_optionIds.TryGetValue((key, value), out var id))
        {
            id = Options.Count;
            _optionIds[(key, value)] = id;
            Options.Add(new IndexedOption(id, key, value, key.ToLowerInvariant(), value.ToLowerInvariant()));
        }
        return id;
    }

    /// <summary>
    /// The stems of a product's text with the fields they occur in, as PostgreSQL's search_vector weighted them:
    /// name, then brand + category path + tags, then description, then option values. New catalog words join the
    /// vocabulary; <paramref name="newProduct"/> counts the product in its words' product counts (a product read again
    /// after a change is not counted twice; counts of words a product lost stay until the next full load).
    /// </summary>
    public (int[] Stems, byte[] Fields) Analyze(string name, string labels, string description, string optionValues, bool newProduct)
    {
        var fields = new Dictionary<int, byte>();
        var words = new HashSet<string>(StringComparer.Ordinal);
        void Add(string text, byte field)
        {
            foreach (var word in CatalogText.Words(text))
            {
                if (!_stemOfWord.TryGetValue(word, out var stem))
                {
                    stem = _stemOfWord[word] = CatalogText.Stem(word);
                }
                var stemId = StemId(stem);
                fields[stemId] = (byte)(fields.GetValueOrDefault(stemId) | field);
                if (CatalogText.IsVocabularyWord(word))
                {
                    words.Add(word);
                }
            }
        }
        Add(name, Name);
        Add(labels, Labels);
        Add(description, Description);
        Add(optionValues, OptionValues);
        foreach (var word in words)
        {
            CountWord(word, _stemOfWord[word], newProduct);
        }
        var stems = fields.Keys.ToArray();
        Array.Sort(stems);
        return (stems, [.. stems.Select(s => fields[s])]);
    }

    private int StemId(string stem)
    {
        if (!StemIds.TryGetValue(stem, out var id))
        {
            id = Stems.Count;
            StemIds[stem] = id;
            Stems.Add(stem);
            StemPostings.Add([]);
            StemFields.Add([]);
            SortedStems = [];
        }
        return id;
    }

    private void CountWord(string word, string stem, bool newProduct)
    {
        if (WordIds.TryGetValue(word, out var id))
        {
            if (newProduct)
            {
                WordProducts[id]++;
            }
            return;
        }
        id = Words.Count;
        WordIds[word] = id;
        Words.Add(word);
        WordStems.Add(StemIds[stem]);
        WordProducts.Add(1);
        var trigrams = CatalogText.Trigrams(word);
        WordTrigrams.Add(trigrams.Count);
        foreach (var trigram in trigrams)
        {
            if (!TrigramWords.TryGetValue(trigram, out var list))
            {
                TrigramWords[trigram] = list = [];
            }
            list.Add(id);
        }
        SortedWords = [];
    }

    /// <summary>Puts <paramref name="product"/> in place of product <paramref name="id"/> (null: no longer listed), keeping the postings exact.</summary>
    public void Replace(int id, IndexedProduct? product)
    {
        var old = Product(id);
        Put(id, product);

        var oldStems = old?.Stems ?? [];
        var newStems = product?.Stems ?? [];
        foreach (var stem in oldStems.Except(newStems))
        {
            var at = Array.BinarySearch(StemPostings[stem], id);
            if (at >= 0)
            {
                StemPostings[stem] = RemovedAt(StemPostings[stem], at);
                StemFields[stem] = RemovedAt(StemFields[stem], at);
            }
        }
        for (var i = 0; i < newStems.Length; i++)
        {
            // New stems go in at their place; a kept stem may have moved between fields (a word now in the name).
            var stem = newStems[i];
            var at = Array.BinarySearch(StemPostings[stem], id);
            if (at < 0)
            {
                StemPostings[stem] = InsertedAt(StemPostings[stem], ~at, id);
                StemFields[stem] = InsertedAt(StemFields[stem], ~at, product!.Fields[i]);
            }
            else if (StemFields[stem][at] != product!.Fields[i])
            {
                StemFields[stem] = [.. StemFields[stem]];
                StemFields[stem][at] = product.Fields[i];
            }
        }
        if (old is not null && old.CategoryId != product?.CategoryId)
        {
            foreach (var category in CategoryAndAncestors(old.CategoryId))
            {
                CategoryPostings[category] = Without(CategoryPostings.GetValueOrDefault(category, []), id);
            }
        }
        if (product is not null && old?.CategoryId != product.CategoryId)
        {
            foreach (var category in CategoryAndAncestors(product.CategoryId))
            {
                CategoryPostings[category] = With(CategoryPostings.GetValueOrDefault(category, []), id);
            }
        }
    }

    private List<int> CategoryAndAncestors(int id)
    {
        var path = new List<int> { id };
        for (var at = id; Categories.GetValueOrDefault(at)?.ParentId is { } parent && path.Count < 32; at = parent)
        {
            path.Add(parent);
        }
        return path;
    }

    /// <summary>Sets product <paramref name="id"/> (null: none) and its columns; postings are the caller's.</summary>
    public void Put(int id, IndexedProduct? product)
    {
        if (id >= Products.Length)
        {
            var length = Math.Max(id + 1, Products.Length * 2);
            Array.Resize(ref Products, length);
            Array.Resize(ref Rows, length);
            Array.Resize(ref CreatedTicks, length);
            Array.Resize(ref NameRanks, length);
        }
        ProductCount += (product is null ? 0 : 1) - (Products[id] is null ? 0 : 1);
        _namesChanged |= Products[id]?.Name != product?.Name;
        if (product is not null)
        {
            CategoryLimit = Math.Max(CategoryLimit, product.CategoryId + 1);
            BrandLimit = Math.Max(BrandLimit, product.BrandId + 1);
        }
        Products[id] = product;
        ref var row = ref Rows[id];
        var optionFirst = row.OptionFirst;
        var optionRows = row.OptionCount;
        var (specFirst, specRows) = (row.SpecFirst, row.SpecCount);
        row = product is null ? default : new ProductRow
        {
            CategoryId = product.CategoryId,
            BrandId = product.BrandId,
            FirstVariant = product.FirstVariant,
            VariantCount = product.VariantCount,
            UnitsSold = product.UnitsSold,
            Rating = product.Rating.Average is { } average ? (int)(average * 1_000_000) : -1,
            RatingCount = product.Rating.Count,
        };
        int min = int.MaxValue, max = int.MinValue;
        byte stock = AllAvailable;
        for (int v = row.FirstVariant, end = v + row.VariantCount; v < end; v++)
        {
            min = Math.Min(min, VariantPrice[v]);
            max = Math.Max(max, VariantPrice[v]);
            stock = (byte)(VariantAvailable[v] > 0 ? stock | AnyAvailable : stock & ~AllAvailable);
        }
        (row.MinCents, row.MaxCents, row.Stock) = row.VariantCount == 0 ? (0, 0, (byte)0) : (min, max, stock);
        (row.OptionFirst, row.OptionCount) = (optionFirst, optionRows);
        PutVariantMasks(ref row);
        CreatedTicks[id] = product?.CreatedAt.Ticks ?? 0;
        var specs = product?.Specs ?? [];
        // Over its old rows when they are enough, else at the end.
        row.SpecFirst = specs.Length <= specRows ? specFirst : SpecRowCount;
        if (specs.Length > specRows)
        {
            SpecRowCount += specs.Length;
            Grow(ref SpecRows, SpecRowCount);
        }
        row.SpecCount = specs.Length;
        specs.CopyTo(SpecRows, row.SpecFirst);
    }

    private void PutVariantMasks(ref ProductRow row)
    {
        int first = row.FirstVariant, count = row.VariantCount;
        var available = 0UL;
        var values = new List<(int Value, ulong Variants)>();
        var masked = count <= MaskedVariants && Options.Count <= ushort.MaxValue + 1;
        for (var i = 0; masked && i < count; i++)
        {
            var bit = 1UL << i;
            available |= VariantAvailable[first + i] > 0 ? bit : 0;
            for (var o = VariantOptionStart[first + i]; o < VariantOptionStart[first + i + 1]; o++)
            {
                var at = values.FindIndex(v => v.Value == VariantOptions[o]);
                if (at < 0)
                {
                    values.Add((VariantOptions[o], bit));
                }
                else
                {
                    values[at] = (values[at].Value, values[at].Variants | bit);
                }
            }
        }
        if (!masked)
        {
            values.Clear();
        }
        row.AvailableVariants = available;
        row.Stock |= masked ? Masked : (byte)0;
        // Over its old rows when they are enough, else at the end.
        if (values.Count > row.OptionCount)
        {
            row.OptionFirst = OptionRowCount;
            OptionRowCount += values.Count;
            Grow(ref OptionRows, OptionRowCount);
        }
        row.OptionCount = values.Count;
        for (var i = 0; i < values.Count; i++)
        {
            OptionRows[row.OptionFirst + i] = (ulong)values[i].Value << 48 | values[i].Variants;
        }
    }

    /// <summary>Builds the postings of a freshly loaded state in one pass (products in id order).</summary>
    public void BuildPostings()
    {
        var stems = Stems.Select(_ => new List<int>()).ToList();
        var fields = Stems.Select(_ => new List<byte>()).ToList();
        var categories = new Dictionary<int, List<int>>();
        for (var id = 0; id < Products.Length; id++)
        {
            if (Products[id] is not { } product)
            {
                continue;
            }
            for (var i = 0; i < product.Stems.Length; i++)
            {
                stems[product.Stems[i]].Add(id);
                fields[product.Stems[i]].Add(product.Fields[i]);
            }
            foreach (var category in CategoryAndAncestors(product.CategoryId))
            {
                if (!categories.TryGetValue(category, out var list))
                {
                    categories[category] = list = [];
                }
                list.Add(id);
            }
        }
        for (var i = 0; i < stems.Count; i++)
        {
            StemPostings[i] = [.. stems[i]];
            StemFields[i] = [.. fields[i]];
        }
        foreach (var (category, list) in categories)
        {
            CategoryPostings[category] = [.. list];
        }
    }

    /// <summary>Sets <see cref="NameRanks"/> anew when a name changed since they were set (a sort of every listed name).</summary>
    public void RankNames()
    {
        if (!_namesChanged)
        {
            return;
        }
        var ids = new List<int>(ProductCount);
        for (var id = 0; id < Products.Length; id++)
        {
            if (Products[id] is not null)
            {
                ids.Add(id);
            }
        }
        ids.Sort((a, b) => string.CompareOrdinal(Products[a]!.Name, Products[b]!.Name) is var c && c != 0 ? c : a.CompareTo(b));
        for (var rank = 0; rank < ids.Count; rank++)
        {
            NameRanks[ids[rank]] = rank;
        }
        _namesChanged = false;
    }

    /// <summary>Sorted views for prefix search, rebuilt when words or stems were added.</summary>
    public void SortVocabulary()
    {
        if (SortedStems.Length != Stems.Count)
        {
            SortedStems = [.. Stems.Select((s, i) => (s, i)).OrderBy(x => x.s, StringComparer.Ordinal)];
        }
        if (SortedWords.Length != Words.Count)
        {
            SortedWords = [.. Words.Select((w, i) => (w, i)).OrderBy(x => x.w, StringComparer.Ordinal)];
        }
    }

    private static int[] With(int[] postings, int id)
    {
        var at = Array.BinarySearch(postings, id);
        return at >= 0 ? postings : InsertedAt(postings, ~at, id);
    }

    private static int[] Without(int[] postings, int id)
    {
        var at = Array.BinarySearch(postings, id);
        return at < 0 ? postings : RemovedAt(postings, at);
    }

    /// <summary>A copy of <paramref name="array"/> with <paramref name="value"/> at <paramref name="at"/> (readers may hold the old one).</summary>
    private static T[] InsertedAt<T>(T[] array, int at, T value) => [.. array[..at], value, .. array[at..]];

    /// <summary>A copy of <paramref name="array"/> without its item at <paramref name="at"/>.</summary>
    private static T[] RemovedAt<T>(T[] array, int at) => [.. array[..at], .. array[(at + 1)..]];
}
