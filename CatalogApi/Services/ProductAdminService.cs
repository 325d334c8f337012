using CatalogApi.Infrastructure;
using CatalogApi.Model;
using CatalogApi.Services.Specs;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CatalogApi.Services;

public enum AdminResult
{
    Done,
    Invalid,
    NotFound,
    Conflict,
}

public sealed record AdminOutcome<T>(AdminResult Result, T? Value = default, Dictionary<string, string[]>? Errors = null, string? Message = null)
{
    public static AdminOutcome<T> Invalid(string field, string message) => new(AdminResult.Invalid, Errors: new() { [field] = [message] });
}

/// <summary>
/// Admin writes to products and variants, through EF Core. Every write recomputes the product's search text and
/// drops the cached reads it changed before it answers. Stock never changes here except the opening stock of a new
/// variant (recorded as a receipt); see <see cref="StockService"/> for the rest.
/// </summary>
public sealed partial class ProductAdminService(
    CatalogContext db,
    CatalogReader reader,
    StockNotifier notifier,
    TimeProvider timeProvider,
    ILogger<ProductAdminService> logger)
{
    public async Task<AdminOutcome<ProductDetail>> CreateAsync(CreateProductRequest request, string actor, CancellationToken cancellationToken)
    {
        if (ProductRules.CheckCreate(request) is { Count: > 0 } errors)
        {
            return new(AdminResult.Invalid, Errors: errors);
        }
        var brand = await db.Brands.AsNoTracking().FirstOrDefaultAsync(b => b.Id == request.BrandId, cancellationToken);
        if (await CheckReferencesAsync(brand, request.CategoryId!.Value, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var name = request.Name!.Trim();
        var slug = request.Slug ?? await FreeSlugAsync(Slug.From(name), cancellationToken);
        if (slug.Length == 0)
        {
            return AdminOutcome<ProductDetail>.Invalid("name", "The name needs at least one letter or digit.");
        }
        if (request.Slug is not null && await db.Products.AnyAsync(p => p.Slug == slug, cancellationToken))
        {
            return new(AdminResult.Conflict, Message: $"The slug '{slug}' is taken.");
        }
        var givenSkus = (request.Variants ?? []).Where(v => v.Sku is not null).Select(v => v.Sku!.Trim()).ToList();
        if (await db.Variants.Where(v => givenSkus.Contains(v.Sku)).Select(v => v.Sku).FirstOrDefaultAsync(cancellationToken) is { } takenSku)
        {
            return new(AdminResult.Conflict, Message: $"The SKU '{takenSku}' is taken.");
        }

        var options = (request.Options ?? [])
            .Select((o, i) => new ProductOption { Name = o.Name!.Trim(), Position = i, Values = [.. o.Values!.Select(v => v.Trim())] })
            .ToList();
        var now = timeProvider.GetUtcNow();
        try
        {
            var productId = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var product = new Product
                {
                    Slug = slug,
                    Name = name,
                    Description = request.Description?.Trim() ?? "",
                    BrandId = brand!.Id,
                    CategoryId = request.CategoryId!.Value,
                    Tags = ProductRules.NormalizeTags(request.Tags),
                    Images = ImageKeys(options),
                    CreatedAt = now,
                    UpdatedAt = now,
                    Options = options,
                };
                db.Products.Add(product);
                await db.SaveChangesAsync(ct);
                foreach (var input in request.Variants ?? [])
                {
                    product.Variants.Add(NewVariant(product, brand, input, options, now));
                }
                await db.SaveChangesAsync(ct);
                await RecordOpeningStockAsync(product.Variants, actor, ct);
                await transaction.CommitAsync(ct);
                return product.Id;
            }, cancellationToken);
            await notifier.ProductChangedAsync(productId);
            LogCreated(productId, name, actor);
            return new(AdminResult.Done, await reader.GetProductAsync(productId, cancellationToken));
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            return new(AdminResult.Conflict, Message: Describe(unique));
        }
    }

    public async Task<AdminOutcome<ProductDetail>> UpdateAsync(int id, UpdateProductRequest request, string actor, CancellationToken cancellationToken)
    {
        if (ProductRules.CheckUpdate(request) is { Count: > 0 } errors)
        {
            return new(AdminResult.Invalid, Errors: errors);
        }
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            return new(AdminResult.NotFound);
        }
        var brand = await db.Brands.AsNoTracking().FirstOrDefaultAsync(b => b.Id == request.BrandId, cancellationToken);
        if (await CheckReferencesAsync(brand, request.CategoryId!.Value, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        if (request.Slug is not null && request.Slug != product.Slug && await db.Products.AnyAsync(p => p.Slug == request.Slug, cancellationToken))
        {
            return new(AdminResult.Conflict, Message: $"The slug '{request.Slug}' is taken.");
        }
        product.Name = request.Name!.Trim();
        product.Slug = request.Slug ?? product.Slug;
        product.Description = request.Description?.Trim() ?? "";
        product.BrandId = brand!.Id;
        product.CategoryId = request.CategoryId.Value;
        product.Tags = ProductRules.NormalizeTags(request.Tags);
        product.UpdatedAt = timeProvider.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            return new(AdminResult.Conflict, Message: Describe(unique));
        }
        await notifier.ProductChangedAsync(id);
        LogUpdated(id, actor);
        return new(AdminResult.Done, await reader.GetProductAsync(id, cancellationToken));
    }

    /// <summary>
    /// Replaces the product's spec sheet, checked against its category's definitions (<see cref="SpecSheets.Check"/>);
    /// like every product write, its detail and every listing are dropped from the caches and the search index (on
    /// every instance) reloads the product before the next listing.
    /// </summary>
    public async Task<AdminOutcome<ProductDetail>> UpdateSpecsAsync(int id, UpdateSpecsRequest request, string actor, CancellationToken cancellationToken)
    {
        if (request.Specs is null)
        {
            return AdminOutcome<ProductDetail>.Invalid("specs", "Give the product's specifications as an object: {\"specs\": {\"weight\": 1200}}.");
        }
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            return new(AdminResult.NotFound);
        }
        var definitions = await reader.GetSpecDefinitionsAsync(product.CategoryId, cancellationToken) ?? [];
        var errors = new Dictionary<string, string[]>();
        var values = SpecSheets.Check(definitions, request.Specs, errors);
        if (errors.Count > 0)
        {
            return new(AdminResult.Invalid, Errors: errors);
        }
        product.Specs = SpecSheets.ToJson(definitions.Where(d => values.ContainsKey(d.Key)).Select(d => new KeyValuePair<string, SpecValue>(d.Key, values[d.Key])));
        product.UpdatedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await notifier.ProductChangedAsync(id);
        LogSpecsUpdated(id, values.Count, actor);
        return new(AdminResult.Done, await reader.GetProductAsync(id, cancellationToken));
    }

    /// <summary>Takes the product out of the shop (listings, search, reservations); its history stays. Archiving twice changes nothing.</summary>
    public async Task<AdminResult> SetArchivedAsync(int id, bool archived, string actor, CancellationToken cancellationToken)
    {
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            return AdminResult.NotFound;
        }
        if ((product.ArchivedAt is not null) != archived)
        {
            product.ArchivedAt = archived ? timeProvider.GetUtcNow() : null;
            product.UpdatedAt = timeProvider.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await notifier.ProductChangedAsync(id);
            LogArchived(id, archived, actor);
        }
        return AdminResult.Done;
    }

    /// <summary>Adds a variant; a value the product did not offer yet (a new size, a new colour) is added to its option.</summary>
    public async Task<AdminOutcome<AdminVariantResponse>> AddVariantAsync(int productId, VariantInput input, string actor, CancellationToken cancellationToken)
    {
        var product = await db.Products.Include(p => p.Options).Include(p => p.Variants).Include(p => p.Brand)
            .FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
        if (product is null)
        {
            return new(AdminResult.NotFound);
        }
        var options = product.Options.OrderBy(o => o.Position).ToList();
        var errors = new Dictionary<string, string[]>();
        var combination = ProductRules.CheckVariant(input, [.. options.Select(o => (o.Name, (IReadOnlyList<string>)o.Values))], allowNewValues: true, "", errors);
        if (errors.Count > 0)
        {
            return new(AdminResult.Invalid, Errors: errors);
        }
        var values = Canonical(input.Options ?? [], options);
        if (product.Variants.Any(v => options.All(o => string.Equals(v.Options.GetValueOrDefault(o.Name), values[o.Name], StringComparison.OrdinalIgnoreCase))))
        {
            return new(AdminResult.Conflict, Message: $"The product already has a variant {combination}.");
        }
        if (input.Sku is { } sku && await db.Variants.AnyAsync(v => v.Sku == sku.Trim(), cancellationToken))
        {
            return new(AdminResult.Conflict, Message: $"The SKU '{sku.Trim()}' is taken.");
        }

        var now = timeProvider.GetUtcNow();
        foreach (var option in options)
        {
            if (!option.Values.Contains(values[option.Name]))
            {
                option.Values = [.. option.Values, values[option.Name]];
            }
        }
        product.Images = ImageKeys(options);
        product.UpdatedAt = now;
        var variant = NewVariant(product, product.Brand!, input with { Options = values }, options, now);
        try
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                product.Variants.Add(variant);
                await db.SaveChangesAsync(ct);
                await RecordOpeningStockAsync([variant], actor, ct);
                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            return new(AdminResult.Conflict, Message: Describe(unique));
        }
        await notifier.ProductChangedAsync(productId);
        LogVariantAdded(variant.Sku, productId, actor);
        return new(AdminResult.Done, ToAdmin(variant));
    }

    public async Task<AdminOutcome<AdminVariantResponse>> UpdateVariantAsync(int variantId, UpdateVariantRequest request, string actor, CancellationToken cancellationToken)
    {
        if (ProductRules.CheckVariantUpdate(request) is { Count: > 0 } errors)
        {
            return new(AdminResult.Invalid, Errors: errors);
        }
        var variant = await db.Variants.FirstOrDefaultAsync(v => v.Id == variantId, cancellationToken);
        if (variant is null)
        {
            return new(AdminResult.NotFound);
        }
        variant.Price = request.Price ?? variant.Price;
        variant.ReorderPoint = request.ReorderPoint ?? variant.ReorderPoint;
        variant.LeadTimeDays = request.LeadTimeDays ?? variant.LeadTimeDays;
        variant.UpdatedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await notifier.ProductChangedAsync(variant.ProductId);
        LogVariantUpdated(variant.Sku, variant.Price, actor);
        return new(AdminResult.Done, await GetVariantAsync(variantId, cancellationToken));
    }

    public async Task<AdminVariantResponse?> GetVariantAsync(int variantId, CancellationToken cancellationToken) =>
        await db.Variants.AsNoTracking().Where(v => v.Id == variantId).Select(v => ToAdmin(v)).FirstOrDefaultAsync(cancellationToken);

    private async Task<AdminOutcome<ProductDetail>?> CheckReferencesAsync(Brand? brand, int categoryId, CancellationToken cancellationToken)
    {
        if (brand is null)
        {
            return AdminOutcome<ProductDetail>.Invalid("brandId", "There is no brand with this id.");
        }
        if (!await db.Categories.AnyAsync(c => c.Id == categoryId, cancellationToken))
        {
            return AdminOutcome<ProductDetail>.Invalid("categoryId", "There is no category with this id.");
        }
        return null;
    }

    private async Task<string> FreeSlugAsync(string slug, CancellationToken cancellationToken)
    {
        if (slug.Length == 0)
        {
            return slug;
        }
        var taken = await db.Products.Where(p => p.Slug == slug || p.Slug.StartsWith(slug + "-")).Select(p => p.Slug).ToListAsync(cancellationToken);
        return Slug.Unique(slug, taken.ToHashSet().Contains);
    }

    private static Variant NewVariant(Product product, Brand brand, VariantInput input, List<ProductOption> options, DateTimeOffset now)
    {
        var values = Canonical(input.Options ?? [], options);
        var code = Slug.From(brand.Name).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        return new Variant
        {
            ProductId = product.Id,
            Sku = input.Sku?.Trim() ?? string.Join('-', [code[..Math.Min(3, code.Length)], product.Id.ToString("D4"),
                .. options.Select(o => Slug.From(values[o.Name]).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())]),
            Options = values,
            Price = input.Price!.Value,
            OnHand = input.OnHand ?? 0,
            ReorderPoint = input.ReorderPoint ?? ProductRules.DefaultReorderPoint,
            LeadTimeDays = input.LeadTimeDays ?? ProductRules.DefaultLeadTimeDays,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>The variant's values under the product's option names, spelt as the option spells them when it has them.</summary>
    private static Dictionary<string, string> Canonical(Dictionary<string, string> given, List<ProductOption> options) =>
        options.ToDictionary(
            o => o.Name,
            o =>
            {
                var value = given.First(g => string.Equals(g.Key, o.Name, StringComparison.OrdinalIgnoreCase)).Value.Trim();
                return o.Values.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) ?? value;
            });

    private static List<string> ImageKeys(List<ProductOption> options) =>
        options.FirstOrDefault(o => o.Name.Equals("Colour", StringComparison.OrdinalIgnoreCase) || o.Name.Equals("Color", StringComparison.OrdinalIgnoreCase)) is { } colours
            ? [.. colours.Values.Select(ProductImages.KeyOf).Distinct()]
            : [ProductImages.DefaultKey];

    private async Task RecordOpeningStockAsync(IEnumerable<Variant> variants, string actor, CancellationToken cancellationToken)
    {
        foreach (var variant in variants.Where(v => v.OnHand > 0))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO stock_movements (variant_id, kind, quantity, on_hand_after, reason, actor)
                VALUES ({variant.Id}, 'receipt', {variant.OnHand}, {variant.OnHand}, 'Opening stock', {actor})
                """, cancellationToken);
        }
    }

    private static AdminVariantResponse ToAdmin(Variant v) =>
        new(v.Id, v.ProductId, v.Sku, v.Options, v.Price, v.OnHand, v.Reserved, v.OnHand - v.Reserved, v.ReorderPoint, v.LeadTimeDays, v.UnitsSold);

    private static string Describe(PostgresException unique) => unique.ConstraintName switch
    {
        "products_slug_key" => "The slug is taken.",
        "variants_sku_key" => "The SKU is taken.",
        "variants_product_id_options_key" => "The product already has a variant with these option values.",
        _ => "The change conflicts with existing data.",
    };

    [LoggerMessage(LogLevel.Information, "Product {ProductId} '{Name}' created by {Actor}")]
    private partial void LogCreated(int productId, string name, string actor);

    [LoggerMessage(LogLevel.Information, "Product {ProductId} updated by {Actor}")]
    private partial void LogUpdated(int productId, string actor);

    [LoggerMessage(LogLevel.Information, "Product {ProductId} specifications set ({Count} values) by {Actor}")]
    private partial void LogSpecsUpdated(int productId, int count, string actor);

    [LoggerMessage(LogLevel.Information, "Product {ProductId} archived: {Archived} (by {Actor})")]
    private partial void LogArchived(int productId, bool archived, string actor);

    [LoggerMessage(LogLevel.Information, "Variant {Sku} added to product {ProductId} by {Actor}")]
    private partial void LogVariantAdded(string sku, int productId, string actor);

    [LoggerMessage(LogLevel.Information, "Variant {Sku} now priced {Price} (by {Actor})")]
    private partial void LogVariantUpdated(string sku, decimal price, string actor);
}
