using CatalogApi.Infrastructure;
using CatalogApi.Model;
using CatalogApi.Services.Specs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CatalogApi.Services;

/// <summary>
/// Product details, categories, brands and variant look-ups, through <see cref="CatalogCache"/>. A singleton: a read
/// the cache answers touches no database context; a miss opens a scope of its own.
/// </summary>
public sealed class CatalogReader(IServiceScopeFactory scopeFactory, CatalogCache cache, IOptions<CatalogOptions> options)
{
    private string ImageBase => options.Value.ImageBaseUrl.TrimEnd('/') + "/api/catalog/products/";

    public Task<ProductDetail?> GetProductAsync(int id, CancellationToken cancellationToken) =>
        cache.GetProductAsync(id, "detail", ct => LoadProductAsync(id, ct), cancellationToken);

    public async Task<ProductDetail?> GetProductBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        var entry = await cache.GetListAsync("slug:" + slug, async ct =>
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
            var id = await db.Products.AsNoTracking().Where(p => p.Slug == slug).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
            return id is null ? null : new SlugEntry(id.Value);
        }, cancellationToken);
        return entry is null ? null : await GetProductAsync(entry.ProductId, cancellationToken);
    }

    /// <summary>The SVG image of a product in one colour (<c>default</c> for products without colours).</summary>
    public async Task<string?> GetImageAsync(int productId, string key, CancellationToken cancellationToken)
    {
        var image = await cache.GetProductAsync(productId, "image:" + key, async ct =>
        {
            var product = await GetProductAsync(productId, ct);
            if (product is null || !product.Images.Any(i => i.Url.EndsWith($"/images/{key}.svg", StringComparison.Ordinal)))
            {
                return null;
            }
            var shape = ProductImages.ShapeFor(product.CategoryPath.Select(c => c.Slug));
            return new SvgImage(ProductImages.Render(shape, key, product.Brand, product.Name));
        }, cancellationToken);
        return image?.Svg;
    }

    public async Task<IReadOnlyList<CategoryNode>> GetCategoriesAsync(CancellationToken cancellationToken) =>
        (await cache.GetListAsync("categories", async ct =>
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
            var categories = await db.Categories.AsNoTracking().ToListAsync(ct);
            var counts = await ListedProducts(db).GroupBy(p => p.CategoryId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            var children = categories.ToLookup(c => c.ParentId);
            return new CategoryList(Build(null));

            List<CategoryNode> Build(int? parentId) =>
                [.. children[parentId].OrderBy(c => c.Position).ThenBy(c => c.Name).Select(c =>
                {
                    var nodes = Build(c.Id);
                    return new CategoryNode(c.Id, c.Slug, c.Name, counts.GetValueOrDefault(c.Id) + nodes.Sum(n => n.ProductCount), nodes);
                })];
        }, cancellationToken))!.Items;

    public async Task<IReadOnlyList<BrandResponse>> GetBrandsAsync(CancellationToken cancellationToken) =>
        (await cache.GetListAsync("brands", async ct =>
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
            var counts = await ListedProducts(db).GroupBy(p => p.BrandId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            var brands = await db.Brands.AsNoTracking().OrderBy(b => b.Name).ToListAsync(ct);
            return new BrandList([.. brands.Select(b => new BrandResponse(b.Id, b.Slug, b.Name, counts.GetValueOrDefault(b.Id)))]);
        }, cancellationToken))!.Items;

    /// <summary>Variants by id with their product, price and availability, straight from the database (never cached).</summary>
    public async Task<IReadOnlyList<VariantInfo>> GetVariantsAsync(int[] ids, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
        var variants = await db.Variants.AsNoTracking()
            .Where(v => ids.Contains(v.Id))
            .Select(v => new
            {
                v.Id, v.Sku, v.ProductId, v.Options, v.Price, v.OnHand, v.Reserved,
                ProductSlug = v.Product!.Slug, ProductName = v.Product.Name, Brand = v.Product.Brand!.Name,
                v.Product.Images, Archived = v.Product.ArchivedAt != null,
            })
            .ToListAsync(cancellationToken);
        return [.. variants.OrderBy(v => v.Id).Select(v => new VariantInfo(
            v.Id, v.Sku, v.ProductId, v.ProductSlug, v.ProductName, v.Brand, v.Options, v.Price,
            StockRules.Available(v.OnHand, v.Reserved),
            ImageUrl(v.ProductId, v.Options.TryGetValue("Colour", out var colour) && v.Images.Contains(ProductImages.KeyOf(colour))
                ? ProductImages.KeyOf(colour) : v.Images.FirstOrDefault() ?? ProductImages.DefaultKey),
            v.Archived))];
    }

    /// <summary>Products by id with each variant's price and availability, straight from the database (never cached).</summary>
    public async Task<IReadOnlyList<ProductAvailability>> GetAvailabilityAsync(int[] productIds, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
        var products = await db.Products.AsNoTracking()
            .Where(p => productIds.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.Slug, p.Name, Brand = p.Brand!.Name, p.Images, Archived = p.ArchivedAt != null,
                Variants = p.Variants.OrderBy(v => v.Id).Select(v => new { v.Id, v.Sku, v.Options, v.Price, v.OnHand, v.Reserved }).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return [.. products.OrderBy(p => p.Id).Select(p =>
        {
            var variants = p.Variants
                .Select(v => new VariantResponse(v.Id, v.Sku, v.Options, v.Price, StockRules.Available(v.OnHand, v.Reserved)))
                .ToList();
            return new ProductAvailability(
                p.Id, p.Slug, p.Name, p.Brand, ImageUrl(p.Id, p.Images.FirstOrDefault() ?? ProductImages.DefaultKey),
                variants.Count == 0 ? null : variants.Min(v => v.Price),
                variants.Count == 0 ? null : variants.Max(v => v.Price),
                !p.Archived && variants.Any(v => v.Available > 0),
                p.Archived,
                variants);
        })];
    }

    private static IQueryable<Product> ListedProducts(CatalogContext db) =>
        db.Products.AsNoTracking().Where(p => p.ArchivedAt == null && p.Variants.Any());

    private async Task<ProductDetail?> LoadProductAsync(int id, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
        var product = await WithDetails(db).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return product is null ? null : (await ToDetailsAsync(db, [product], cancellationToken))[0];
    }

    /// <summary>
    /// Up to <paramref name="limit"/> products after the id <paramref name="afterId"/> in id order, archived ones included,
    /// each as <see cref="GetProductAsync"/> gives it: straight from the database in one query for the products, one for
    /// their options and one for their variants, and never cached (a sweep of the whole catalog would only push out what
    /// shoppers read).
    /// </summary>
    public async Task<ProductDetailPage> GetProductDetailsAsync(int afterId, int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
        var products = await WithDetails(db).Where(p => p.Id > afterId).OrderBy(p => p.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var more = products.Count > limit;
        var details = await ToDetailsAsync(db, more ? products.GetRange(0, limit) : products, cancellationToken);
        return new ProductDetailPage(details, more ? details[^1].Id : null);
    }

    private static IQueryable<Product> WithDetails(CatalogContext db) =>
        db.Products.AsNoTracking().Include(p => p.Brand).Include(p => p.Options).Include(p => p.Variants).AsSplitQuery();

    /// <summary>The products' details, with their category paths and spec sheets from the cached category and spec lists.</summary>
    private async Task<List<ProductDetail>> ToDetailsAsync(CatalogContext db, List<Product> products, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return [];
        }
        var categories = await CategoriesAsync(db, cancellationToken);
        var definitions = await GetSpecDefinitionsAsync(cancellationToken);
        return [.. products.Select(product =>
        {
            var path = CategoryPath(categories, product.CategoryId);
            var specs = SpecSheets.Sheet(SpecSheets.ForPath(definitions, path.Select(c => c.Slug)), SpecSheets.Parse(product.Specs));
            return ToDetail(product, path, specs);
        })];
    }

    private async Task<IReadOnlyList<CategoryRef>> CategoryPathAsync(CatalogContext db, int categoryId, CancellationToken cancellationToken) =>
        CategoryPath(await CategoriesAsync(db, cancellationToken), categoryId);

    /// <summary>Every category with its parent, by id (cached as one list).</summary>
    private async Task<Dictionary<int, CategoryParent>> CategoriesAsync(CatalogContext db, CancellationToken cancellationToken)
    {
        var all = await cache.GetListAsync("category-refs", async ct =>
            new CategoryRefs(await db.Categories.AsNoTracking().Select(c => new CategoryParent(c.Id, c.ParentId, c.Slug, c.Name)).ToListAsync(ct)),
            cancellationToken);
        return all!.Items.ToDictionary(c => c.Id);
    }

    /// <summary>The category's path from the root.</summary>
    private static List<CategoryRef> CategoryPath(Dictionary<int, CategoryParent> byId, int categoryId)
    {
        var path = new List<CategoryRef>();
        for (int? current = categoryId; current is { } id && byId.TryGetValue(id, out var category) && path.Count < 16; current = category.ParentId)
        {
            path.Insert(0, new CategoryRef(category.Id, category.Slug, category.Name));
        }
        return path;
    }

    /// <summary>Every spec definition (spec_definitions), cached as a list.</summary>
    public async Task<IReadOnlyList<SpecDefinition>> GetSpecDefinitionsAsync(CancellationToken cancellationToken) =>
        (await cache.GetListAsync("spec-definitions", async ct =>
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var dataSource = scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>();
            await using var command = dataSource.CreateCommand(
                "SELECT category_slug, key, label, kind, unit, choices, min, max, decimals, sort, sort_label, position FROM spec_definitions ORDER BY position");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var definitions = new List<SpecDefinition>();
            while (await reader.ReadAsync(ct))
            {
                definitions.Add(Search.CatalogIndex.ReadDefinition(reader));
            }
            return new SpecDefinitionList(definitions);
        }, cancellationToken))!.Items;

    /// <summary>The spec definitions a product of category <paramref name="categoryId"/> has (its own and its ancestors'), or null for no such category.</summary>
    public async Task<IReadOnlyList<SpecDefinition>?> GetSpecDefinitionsAsync(int categoryId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogContext>();
        var path = await CategoryPathAsync(db, categoryId, cancellationToken);
        return path.Count == 0 ? null : SpecSheets.ForPath(await GetSpecDefinitionsAsync(cancellationToken), path.Select(c => c.Slug));
    }

    internal ProductDetail ToDetail(Product product, IReadOnlyList<CategoryRef> categoryPath, IReadOnlyList<ProductSpec> specs)
    {
        var options = product.Options.OrderBy(o => o.Position).ToList();
        var variants = product.Variants
            .OrderBy(v => string.Join('\u0001', options.Select(o => Array.IndexOf([.. o.Values], v.Options.GetValueOrDefault(o.Name) ?? "").ToString("D4"))))
            .ThenBy(v => v.Id)
            .Select(v => new VariantResponse(v.Id, v.Sku, OrderedOptions(v.Options, options), v.Price, v.Available))
            .ToList();
        var colours = options.FirstOrDefault(o => o.Name == "Colour")?.Values ?? [];
        var images = product.Images
            .Select(key => new ProductImage(
                ImageUrl(product.Id, key),
                colours.FirstOrDefault(c => ProductImages.KeyOf(c) == key),
                key == ProductImages.DefaultKey ? product.Name : $"{product.Name} in {colours.FirstOrDefault(c => ProductImages.KeyOf(c) == key) ?? key}"))
            .ToList();
        var category = categoryPath.LastOrDefault() ?? new CategoryRef(product.CategoryId, "", "");
        return new ProductDetail(
            product.Id,
            product.Slug,
            product.Name,
            product.Description,
            product.Brand?.Name ?? "",
            product.BrandId,
            product.Brand?.Slug ?? "",
            category.Name,
            product.CategoryId,
            category.Slug,
            categoryPath,
            product.Tags,
            images,
            [.. options.Select(o => new ProductOptionResponse(o.Name, o.Values))],
            variants,
            variants.Count == 0 ? null : variants.Min(v => v.Price),
            variants.Count == 0 ? null : variants.Max(v => v.Price),
            variants.Any(v => v.Available > 0),
            product.CreatedAt,
            product.ArchivedAt is not null,
            specs,
            new RatingSummary(product.RatingAverage, product.RatingCount));
    }

    private string ImageUrl(int productId, string key) => $"{ImageBase}{productId}/images/{key}.svg";

    /// <summary>The variant's option values in the product's option order (Size before Colour if that is the product's order).</summary>
    private static Dictionary<string, string> OrderedOptions(Dictionary<string, string> values, List<ProductOption> options)
    {
        var ordered = new Dictionary<string, string>(values.Count);
        foreach (var option in options)
        {
            if (values.TryGetValue(option.Name, out var value))
            {
                ordered[option.Name] = value;
            }
        }
        foreach (var (name, value) in values)
        {
            ordered.TryAdd(name, value);
        }
        return ordered;
    }

    private sealed record SlugEntry(int ProductId);

    private sealed record SpecDefinitionList(List<SpecDefinition> Items);

    private sealed record SvgImage(string Svg);

    private sealed record CategoryList(List<CategoryNode> Items);

    private sealed record BrandList(List<BrandResponse> Items);

    private sealed record CategoryParent(int Id, int? ParentId, string Slug, string Name);

    private sealed record CategoryRefs(List<CategoryParent> Items);
}
