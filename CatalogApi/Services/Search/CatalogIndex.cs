using System.Diagnostics;
using System.Text.Json;
using CatalogApi.Infrastructure;
using CatalogApi.Model;
using CatalogApi.Services.Specs;
using Npgsql;
using NpgsqlTypes;

namespace CatalogApi.Services.Search;

/// <summary>
/// The catalog's listing and search index, in this process's memory: every listed product with its variants (price,
/// available stock, option values) and the English stems of its text, postings per stem and per category, and the
/// catalog's vocabulary for typo correction. <see cref="ProductSearchService"/> answers listings from it without a
/// database round trip.
/// <para>
/// Kept in step with catalogdb through <see cref="CatalogCache"/>: every change it hears of (this instance's writes
/// before they answer, other instances' through Redis, stock changes) marks the products changed; the next read
/// reloads them first (one query each for products and variants). A change of everything (Redis back after an
/// outage) reloads the whole catalog in the background while the current index keeps answering.
/// </para>
/// </summary>
public sealed partial class CatalogIndex : BackgroundService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<CatalogIndex> _logger;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _pendingLock = new();
    private HashSet<int> _pending = [];
    private HashSet<int>? _appliedDuringReload;
    private bool _reloadAll;
    private Task? _fullReload;
    private CatalogIndexState _state = new();

    public CatalogIndex(NpgsqlDataSource dataSource, CatalogCache cache, ILogger<CatalogIndex> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        cache.Changed += OnChanged;
    }

    /// <summary>Products listed now.</summary>
    public int ProductCount => _state.ProductCount;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Hosted services start in order: catalogdb is migrated and seeded by now.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReplaceAllAsync(stoppingToken);
                _loaded.TrySetResult();
                // The seed and the load leave a lot of garbage behind once (hundreds of MB at 100,000 products): give it back now.
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogLoadFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>Applies the changes heard of so far (waits for the first load); after it, reads see every write that has answered.</summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        await _loaded.Task.WaitAsync(cancellationToken);
        bool reloadAll;
        lock (_pendingLock)
        {
            if (_pending.Count == 0 && !_reloadAll)
            {
                return;
            }
            reloadAll = _reloadAll;
        }
        if (reloadAll)
        {
            StartFullReload();
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            HashSet<int> ids;
            lock (_pendingLock)
            {
                ids = _pending;
                _pending = [];
            }
            if (ids.Count == 0)
            {
                return;
            }
            try
            {
                var loaded = await LoadAsync([.. ids], cancellationToken);
                Write(state => Apply(state, loaded, ids));
                lock (_pendingLock)
                {
                    _appliedDuringReload?.UnionWith(ids);
                }
            }
            catch
            {
                lock (_pendingLock)
                {
                    _pending.UnionWith(ids);
                }
                throw;
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    internal T Read<T>(Func<CatalogIndexState, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(_state);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Write(Action<CatalogIndexState> write)
    {
        _lock.EnterWriteLock();
        try
        {
            write(_state);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void OnChanged(IReadOnlyCollection<int>? productIds)
    {
        lock (_pendingLock)
        {
            if (productIds is null)
            {
                _reloadAll = true;
            }
            else
            {
                _pending.UnionWith(productIds);
            }
        }
    }

    private void StartFullReload()
    {
        lock (_pendingLock)
        {
            if (!_reloadAll || _fullReload is { IsCompleted: false })
            {
                return;
            }
            _reloadAll = false;
            _fullReload = Task.Run(async () =>
            {
                try
                {
                    await ReplaceAllAsync(CancellationToken.None);
                }
                catch (Exception e)
                {
                    LogLoadFailed(e);
                    lock (_pendingLock)
                    {
                        _reloadAll = true;
                    }
                }
            });
        }
    }

    /// <summary>Loads the whole catalog into a new state and swaps it in; products changed meanwhile are reloaded after.</summary>
    private async Task ReplaceAllAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        HashSet<int> pendingBefore;
        lock (_pendingLock)
        {
            pendingBefore = [.. _pending];
            _appliedDuringReload = [];
        }
        var loaded = await LoadAsync(null, cancellationToken);
        var state = Build(loaded);
        _lock.EnterWriteLock();
        try
        {
            _state = state;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        lock (_pendingLock)
        {
            // Changes applied to the old state while this one loaded may be missing from it: apply them again.
            _pending.UnionWith(pendingBefore);
            _pending.UnionWith(_appliedDuringReload ?? []);
            _appliedDuringReload = null;
        }
        LogLoaded(state.ProductCount, loaded.Variants, state.Words.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    internal sealed record LoadedProduct(
        int Id, string Slug, string Name, string Description, int BrandId, int CategoryId, string[] Tags, string[] Images, DateTime CreatedAt,
        RatingSummary Rating, string Specs = "{}");

    internal sealed record LoadedVariant(int ProductId, decimal Price, int Available, int UnitsSold, List<KeyValuePair<string, string>> Options);

    internal sealed record Loaded(
        List<IndexedBrand> Brands, List<(int Id, int? ParentId, string Slug, string Name)> Categories,
        List<LoadedProduct> Products, Dictionary<int, List<LoadedVariant>> VariantsByProduct, int Variants,
        List<SpecDefinition>? SpecDefinitions = null);

    /// <summary>Reads brands, categories, and the listed products (all, or those of <paramref name="ids"/>) with their variants.</summary>
    private async Task<Loaded> LoadAsync(int[]? ids, CancellationToken cancellationToken)
    {
        using var activity = CatalogTelemetry.Source.StartActivity("catalog index load");
        activity?.SetTag("catalog.index.products", ids?.Length);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var brands = new List<IndexedBrand>();
        await using (var command = new NpgsqlCommand("SELECT id, slug, name FROM brands", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                brands.Add(new IndexedBrand(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        var categories = new List<(int, int?, string, string)>();
        await using (var command = new NpgsqlCommand("SELECT id, parent_id, slug, name FROM categories", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                categories.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        var products = new List<LoadedProduct>();
        await using (var command = new NpgsqlCommand("""
            SELECT id, slug, name, description, brand_id, category_id, tags, images, created_at, rating_average, rating_count, specs::text
            FROM products WHERE archived_at IS NULL AND ($1::integer[] IS NULL OR id = ANY ($1))
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = (object?)ids ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                products.Add(new LoadedProduct(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt32(4), reader.GetInt32(5), reader.GetFieldValue<string[]>(6), reader.GetFieldValue<string[]>(7),
                    reader.GetDateTime(8), new RatingSummary(reader.IsDBNull(9) ? null : reader.GetDecimal(9), reader.GetInt32(10)), reader.GetString(11)));
            }
        }
        var variants = new Dictionary<int, List<LoadedVariant>>();
        var count = 0;
        await using (var command = new NpgsqlCommand("""
            SELECT product_id, price, on_hand - reserved, units_sold, options::text
            FROM variants WHERE $1::integer[] IS NULL OR product_id = ANY ($1)
            ORDER BY product_id, id
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = (object?)ids ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var productId = reader.GetInt32(0);
                if (!variants.TryGetValue(productId, out var list))
                {
                    variants[productId] = list = [];
                }
                list.Add(new LoadedVariant(productId, reader.GetDecimal(1), reader.GetInt32(2), reader.GetInt32(3), ParseOptions(reader.GetString(4))));
                count++;
            }
        }
        var definitions = new List<SpecDefinition>();
        await using (var command = new NpgsqlCommand(
            "SELECT category_slug, key, label, kind, unit, choices, min, max, decimals, sort, sort_label, position FROM spec_definitions ORDER BY position",
            connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                definitions.Add(ReadDefinition(reader));
            }
        }
        return new Loaded(brands, categories, products, variants, count, definitions);
    }

    internal static SpecDefinition ReadDefinition(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<string[]>(5),
        reader.IsDBNull(6) ? null : reader.GetDecimal(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7), reader.GetInt32(8),
        reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetInt32(11));

    private static List<KeyValuePair<string, string>> ParseOptions(string json)
    {
        var options = new List<KeyValuePair<string, string>>(2);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        string? key = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                key = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.String && key is not null)
            {
                options.Add(new(key, reader.GetString()!));
                key = null;
            }
        }
        return options;
    }

    /// <summary>A new state holding the whole loaded catalog.</summary>
    internal static CatalogIndexState Build(Loaded loaded)
    {
        var state = new CatalogIndexState();
        Apply(state, loaded, null);
        state.BuildPostings();
        return state;
    }

    /// <summary>Puts loaded products into <paramref name="state"/>; ids asked for but not loaded (archived, deleted) leave it.</summary>
    internal static void Apply(CatalogIndexState state, Loaded loaded, IEnumerable<int>? ids)
    {
        state.Brands = loaded.Brands.ToDictionary(b => b.Id);
        state.BrandsBySlug = loaded.Brands.ToDictionary(b => b.Slug, StringComparer.Ordinal);
        var parents = loaded.Categories.ToDictionary(c => c.Id);
        string PathOf(int id)
        {
            var names = new List<string>();
            for (int? at = id; at is { } current && parents.TryGetValue(current, out var c) && names.Count < 32; at = c.ParentId)
            {
                names.Insert(0, c.Name);
            }
            return string.Join(' ', names);
        }
        state.Categories = loaded.Categories.ToDictionary(c => c.Id, c => new IndexedCategory(c.Id, c.ParentId, c.Slug, c.Name, PathOf(c.Id)));
        state.CategoriesBySlug = state.Categories.Values.ToDictionary(c => c.Slug, StringComparer.Ordinal);
        state.CategoryLimit = Math.Max(state.CategoryLimit, state.Categories.Keys.DefaultIfEmpty(0).Max() + 1);
        state.BrandLimit = Math.Max(state.BrandLimit, state.Brands.Keys.DefaultIfEmpty(0).Max() + 1);
        state.SpecsOfCategory = state.Categories.Values.ToDictionary(c => c.Id, c =>
        {
            var path = new List<string>();
            for (int? at = c.Id; at is { } current && state.Categories.TryGetValue(current, out var node) && path.Count < 32; at = node.ParentId)
            {
                path.Insert(0, node.Slug);
            }
            return SpecSheets.ForPath(loaded.SpecDefinitions ?? [], path).ToArray();
        });

        var fresh = ids is null;
        var seen = new HashSet<int>();
        foreach (var p in loaded.Products)
        {
            seen.Add(p.Id);
            var variants = loaded.VariantsByProduct.GetValueOrDefault(p.Id, []);
            var brand = state.Brands.GetValueOrDefault(p.BrandId)?.Name ?? "";
            var path = state.Categories.GetValueOrDefault(p.CategoryId)?.Path ?? "";
            var optionValues = string.Join(' ', variants.SelectMany(v => v.Options.Select(o => o.Value)).Distinct(StringComparer.Ordinal));
            var (stems, fields) = state.Analyze(p.Name, $"{brand} {path} {string.Join(' ', p.Tags)}", p.Description, optionValues,
                newProduct: state.Product(p.Id) is null);
            var first = state.StoreVariants([.. variants.Select(v => new LoadedOptions(v.Price, v.Available, v.Options))], state.Product(p.Id));
            var product = new IndexedProduct(p.Id, p.Slug, p.Name, p.BrandId, p.CategoryId, p.CreatedAt, p.Images,
                variants.Sum(v => v.UnitsSold), first, variants.Count, stems, fields)
            {
                Specs = SpecEntries(state, state.SpecsOfCategory.GetValueOrDefault(p.CategoryId, []), p.Specs),
                Rating = p.Rating,
            };
            if (fresh)
            {
                state.Put(p.Id, product);
            }
            else
            {
                state.Replace(p.Id, product);
            }
        }
        foreach (var id in ids ?? [])
        {
            if (!seen.Contains(id))
            {
                state.Replace(id, null);
            }
        }
        state.SortVocabulary();
        state.RankNames();
    }

    /// <summary>A product's values of the specs its category defines, as key ids and numbers or choice ids.</summary>
    private static SpecEntry[] SpecEntries(CatalogIndexState state, SpecDefinition[] definitions, string json)
    {
        if (definitions.Length == 0 || json.Length <= 2)
        {
            return [];
        }
        var values = SpecSheets.Parse(json);
        var entries = new List<SpecEntry>(definitions.Length);
        foreach (var definition in definitions)
        {
            if (!values.TryGetValue(definition.Key, out var value))
            {
                continue;
            }
            if (definition.IsNumber && value.Number is { } number)
            {
                entries.Add(new SpecEntry(state.SpecKeyId(definition.Key), (double)number));
            }
            else if (!definition.IsNumber && value.Choice is { } choice)
            {
                entries.Add(new SpecEntry(state.SpecKeyId(definition.Key), state.SpecChoiceId(choice)));
            }
        }
        return [.. entries];
    }

    [LoggerMessage(LogLevel.Information, "Catalog index loaded: {Products} products, {Variants} variants, {Words} words in {ElapsedMs:0} ms")]
    private partial void LogLoaded(int products, int variants, int words, double elapsedMs);

    [LoggerMessage(LogLevel.Warning, "Could not load the catalog index; retrying")]
    private partial void LogLoadFailed(Exception exception);
}
