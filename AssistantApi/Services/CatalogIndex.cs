using AssistantApi.Engines.Local;
using AssistantApi.Tools;

namespace AssistantApi.Services;

public sealed record IndexedProduct(
    int Id, string Name, string Slug, string Brand, string BrandSlug, string Category, string CategorySlug,
    decimal PriceFrom, bool InStock, IReadOnlyList<string> Words);

/// <summary>A category or brand: the value the catalog filters on, its display name, and its words (stemmed).</summary>
public sealed record IndexedTerm(string Slug, string Name, IReadOnlyList<string> Words);

/// <summary>The names the assistant recognises in messages, read from the live catalog.</summary>
public sealed class CatalogSnapshot(
    IReadOnlyList<IndexedProduct> products,
    IReadOnlyList<IndexedTerm> categories,
    IReadOnlyList<IndexedTerm> brands,
    IReadOnlyList<string> colors,
    IReadOnlyList<string> sizes,
    DateTimeOffset loadedAt)
{
    public static readonly CatalogSnapshot Empty = new([], [], [], [], [], DateTimeOffset.MinValue);

    public IReadOnlyList<IndexedProduct> Products { get; } = products;
    public IReadOnlyList<IndexedTerm> Categories { get; } = categories;
    public IReadOnlyList<IndexedTerm> Brands { get; } = brands;
    /// <summary>Colour option values, as shown ("Forest Green").</summary>
    public IReadOnlyList<string> Colors { get; } = colors;
    /// <summary>Size option values, as shown ("M", "42", "S/M").</summary>
    public IReadOnlyList<string> Sizes { get; } = sizes;
    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>How rare each product-name word is (inverse document frequency): model names weigh more than "tent".</summary>
    public IReadOnlyDictionary<string, double> WordWeights { get; } = Weights(products);

    public IndexedProduct? FindProduct(int id) => Products.FirstOrDefault(p => p.Id == id);

    private readonly HashSet<string> _vocabulary =
        [.. products.SelectMany(p => p.Words), .. categories.SelectMany(c => c.Words), .. brands.SelectMany(b => b.Words),
         .. colors.SelectMany(c => Text.Tokenize(c)).Select(t => t.Stem)];

    /// <summary>Whether a word occurs in the name of a product, category, brand or colour (typos not allowed).</summary>
    public bool Knows(string word) => Text.Tokenize(word) is [var token] && _vocabulary.Contains(token.Stem);

    /// <summary>
    /// The products whose names look most like <paramref name="text"/> (character trigrams in common), those of the
    /// category first: what to offer when a shopper names a product the shop does not have.
    /// </summary>
    public IReadOnlyList<IndexedProduct> Closest(string text, string? categorySlug, int count)
    {
        var wanted = Trigrams(text);
        return [.. Products
            .Select(p => (Product: p, Score: Dice(wanted, Trigrams(p.Name)) + (p.CategorySlug == categorySlug ? 1 : 0)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Product.Name, StringComparer.Ordinal)
            .Take(count).Select(x => x.Product)];
    }

    private static HashSet<string> Trigrams(string text)
    {
        var padded = " " + string.Join(' ', Text.Tokenize(text).Select(t => t.Text)) + " ";
        return [.. Enumerable.Range(0, Math.Max(0, padded.Length - 2)).Select(i => padded.Substring(i, 3))];
    }

    private static double Dice(HashSet<string> a, HashSet<string> b) =>
        a.Count + b.Count == 0 ? 0 : 2.0 * a.Count(b.Contains) / (a.Count + b.Count);

    /// <summary>A category by slug or by name, typos allowed ("sleeping bag", "Tents", "tnets").</summary>
    public IndexedTerm? FindCategory(string text) => FindTerm(Categories, text);

    public IndexedTerm? FindBrand(string text) => FindTerm(Brands, text);

    private static IndexedTerm? FindTerm(IReadOnlyList<IndexedTerm> terms, string text)
    {
        var folded = Text.Fold(text.Trim());
        if (terms.FirstOrDefault(t => t.Slug == folded || Text.Fold(t.Name) == folded) is { } exact)
        {
            return exact;
        }
        var words = Text.Tokenize(text).Select(t => t.Stem).ToList();
        if (words.Count == 0)
        {
            return null;
        }
        return terms
            .Where(t => t.Words.Count == words.Count && t.Words.Zip(words).All(p => Text.Matches(p.Second, p.First)))
            .FirstOrDefault();
    }

    private static Dictionary<string, double> Weights(IReadOnlyList<IndexedProduct> products)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in products.SelectMany(p => p.Words.Distinct()))
        {
            counts[word] = counts.GetValueOrDefault(word) + 1;
        }
        return counts.ToDictionary(c => c.Key, c => Math.Log(1.0 + products.Count / (double)c.Value), StringComparer.Ordinal);
    }
}

/// <summary>
/// Keeps a <see cref="CatalogSnapshot"/> of the live catalog (every product's name, the categories, brands, colours
/// and sizes), loaded on first use and refreshed in the background when older than <see cref="MaxAge"/>.
/// </summary>
public sealed partial class CatalogIndex(IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<CatalogIndex> logger)
{
    public const string HttpClientName = "catalog-index";
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private const int PageSize = 100;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private CatalogSnapshot _snapshot = CatalogSnapshot.Empty;
    private int _refreshing;

    public async Task<CatalogSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot.Products.Count == 0)
        {
            return await LoadAsync(cancellationToken);
        }
        if (time.GetUtcNow() - snapshot.LoadedAt > MaxAge && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            // Stale: answer with what we have, refresh for the next turns.
            _ = Task.Run(async () =>
            {
                try
                {
                    await LoadAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is HttpRequestException or ToolException or TaskCanceledException)
                {
                    LogRefreshFailed(logger, ex);
                }
                finally
                {
                    Volatile.Write(ref _refreshing, 0);
                }
            }, CancellationToken.None);
        }
        return snapshot;
    }

    private async Task<CatalogSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot.Products.Count > 0 && time.GetUtcNow() - _snapshot.LoadedAt < TimeSpan.FromSeconds(5))
            {
                return _snapshot;
            }
            var catalog = new CatalogClient(httpClientFactory.CreateClient(HttpClientName));
            var products = new List<CatalogProductSummary>();
            CatalogFacets? facets = null;
            for (var page = 1; ; page++)
            {
                var result = await catalog.SearchAsync($"sort=name&page={page}&pageSize={PageSize}", cancellationToken);
                facets ??= result.Facets;
                products.AddRange(result.Items);
                if (result.Items.Count < PageSize || products.Count >= result.Total)
                {
                    break;
                }
            }
            var categories = Flatten(await catalog.GetCategoriesAsync(cancellationToken))
                .Select(c => new IndexedTerm(c.Slug, c.Name, Words(c.Name))).ToList();
            var brands = (await catalog.GetBrandsAsync(cancellationToken))
                .Select(b => new IndexedTerm(b.Slug, b.Name, Words(b.Name))).ToList();

            var snapshot = new CatalogSnapshot(
                products.Select(p => new IndexedProduct(p.Id, p.Name, p.Slug, p.Brand, p.BrandSlug, p.Category, p.CategorySlug,
                    p.PriceFrom, p.InStock, Words(p.Name))).ToList(),
                categories,
                brands,
                OptionValues(facets, "colour", "color"),
                OptionValues(facets, "size"),
                time.GetUtcNow());
            _snapshot = snapshot;
            LogLoaded(logger, snapshot.Products.Count, snapshot.Categories.Count, snapshot.Brands.Count);
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>The words of a name, stemmed, without joining words ("&amp;", "and").</summary>
    public static IReadOnlyList<string> Words(string name) =>
        Text.Tokenize(name).Select(t => t.Stem).Where(w => w is not ("and" or "the" or "for" or "with")).ToList();

    private static IEnumerable<CatalogCategory> Flatten(IEnumerable<CatalogCategory> nodes) =>
        nodes.SelectMany(n => new[] { n }.Concat(Flatten(n.Children)));

    private static List<string> OptionValues(CatalogFacets? facets, params string[] names)
    {
        if (facets?.Options is null)
        {
            return [];
        }
        return facets.Options
            .Where(o => names.Contains(o.Key, StringComparer.OrdinalIgnoreCase))
            .SelectMany(o => o.Value)
            .Select(v => v.Label ?? v.Value)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    [LoggerMessage(LogLevel.Information, "Catalog index loaded: {Products} products, {Categories} categories, {Brands} brands")]
    private static partial void LogLoaded(ILogger logger, int products, int categories, int brands);

    [LoggerMessage(LogLevel.Warning, "Catalog index refresh failed; keeping the previous one")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

/// <summary>Loads the catalog index at start-up and keeps it fresh, so no chat turn waits for it.</summary>
public sealed partial class CatalogIndexWarmer(CatalogIndex index, ILogger<CatalogIndexWarmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        do
        {
            try
            {
                // Loads when empty; when stale, GetAsync starts a background refresh.
                await index.GetAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or ToolException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogNotYet(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "Catalog index not loaded yet ({Reason}); retrying")]
    private static partial void LogNotYet(ILogger logger, string reason);
}
