using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CatalogApi.Model;
using CatalogApi.Services;
using Specs = CatalogApi.Services.Specs;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CatalogApi.Apis;

/// <summary>The catalog read handlers' dependencies, injected as one parameter (singletons: a cached read creates nothing).</summary>
public sealed record CatalogServices(CatalogReader Reader, ProductSearchService Search);

/// <summary>The catalog write handlers' dependencies.</summary>
public sealed record CatalogAdminServices(ProductAdminService Admin);

/// <summary>
/// <c>/api/catalog</c>: anyone reads products, categories and brands; admins (role Admin) create, edit and archive
/// products and add and edit variants.
/// </summary>
public static class CatalogApi
{
    public const int MaxVariantIds = 100;

    /// <summary>The scope a service token needs to read every product's details a page at a time (OrderingApi's demo history).</summary>
    public const string CatalogReadScope = "catalog:read";

    /// <summary>Largest page of <c>GET /api/catalog/product-details</c>.</summary>
    public const int MaxDetailsPageSize = 500;

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/catalog").WithTags("Catalog");

        // Reads: open to everyone, shoppers included.
        api.MapGet("/products", ListProducts)
            .WithName("ListProducts")
            .WithSummary("Search, filter, sort and page products, with facet counts")
            .AllowAnonymous();
        // One operation for both keys: its id (digits) or its slug, so a path names one resource.
        api.MapGet("/products/{id}", GetProduct)
            .WithName("GetProduct")
            .WithSummary("A product with its options, variants and availability, by its id or its slug")
            .AllowAnonymous();
        // Not under /products/: "details" would hide a product of that slug.
        api.MapGet("/product-details", ListProductDetails)
            .WithName("ListProductDetails")
            .WithSummary("Every product's details by id, archived ones flagged, a page at a time (?afterId=N&limit=500): for services sweeping the catalog")
            .RequireAuthorization(AuthorizationPolicies.AdminOrScope(CatalogReadScope));
        api.MapGet("/products/{id:int}/images/{image}", GetProductImage)
            .WithName("GetProductImage")
            .WithSummary("A product's generated picture in one colour (SVG)")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .AllowAnonymous();
        api.MapGet("/categories", ListCategories)
            .WithName("ListCategories")
            .WithSummary("The category tree with product counts")
            .AllowAnonymous();
        api.MapGet("/brands", ListBrands)
            .WithName("ListBrands")
            .WithSummary("Brands with product counts")
            .AllowAnonymous();
        api.MapGet("/specs", ListSpecDefinitions)
            .WithName("ListSpecDefinitions")
            .WithSummary("Spec sheet definitions: every category's, or what a product of ?category=SLUG has")
            .AllowAnonymous();
        api.MapGet("/variants", GetVariants)
            .WithName("GetVariants")
            .WithSummary("Variants by id (?ids=1,2,3) with product, price and availability, uncached")
            .AllowAnonymous();
        api.MapGet("/availability", GetAvailability)
            .WithName("GetProductAvailability")
            .WithSummary("Products by id (?productIds=1,2,3) with price, picture and each variant's availability, uncached")
            .AllowAnonymous();
        api.MapGet("/variants/{id:int}", GetVariant)
            .WithName("GetVariant")
            .WithSummary("A variant with its product, price and availability, uncached")
            .AllowAnonymous();

        // Writes: admins only.
        api.MapPost("/products", CreateProduct)
            .WithName("CreateProduct")
            .WithSummary("Create a product, with its options and variants")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPut("/products/{id:int}", UpdateProduct)
            .WithName("UpdateProduct")
            .WithSummary("Edit a product's name, slug, description, brand, category and tags")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPut("/products/{id:int}/specs", UpdateProductSpecs)
            .WithName("UpdateProductSpecs")
            .WithSummary("Replace a product's spec sheet (checked against its category's definitions)")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapDelete("/products/{id:int}", ArchiveProduct)
            .WithName("ArchiveProduct")
            .WithSummary("Archive a product: it leaves the shop, its history stays")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPost("/products/{id:int}/restore", RestoreProduct)
            .WithName("RestoreProduct")
            .WithSummary("Bring an archived product back")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPost("/products/{id:int}/variants", AddVariant)
            .WithName("AddVariant")
            .WithSummary("Add a variant (a new option value is added to the product's option)")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPut("/variants/{id:int}", UpdateVariant)
            .WithName("UpdateVariant")
            .WithSummary("Change a variant's price, reorder point or supplier lead time")
            .RequireAuthorization(AuthorizationPolicies.Admin);

        return app;
    }

    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> ListProducts(
        [AsParameters] ProductListQuery query, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        if (!ProductSearchParser.TryParse(query, out var search, out var errors)
            || (errors = await services.Search.CheckSpecsAsync(search, cancellationToken)).Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await services.Search.SearchAsync(search, cancellationToken));
    }

    /// <param name="id">The product's id, or its slug (e.g. <c>trail-runner-2</c>).</param>
    /// <param name="user">The caller (admins also see archived products).</param>
    /// <param name="services">The readers.</param>
    /// <param name="cancellationToken">The request's.</param>
    public static async Task<Results<Ok<ProductDetail>, NotFound>> GetProduct(
        string id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var product = int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var productId)
            ? await services.Reader.GetProductAsync(productId, cancellationToken)
            : Slug.IsValid(id) ? await services.Reader.GetProductBySlugAsync(id, cancellationToken) : null;
        return Visible(product, user) is { } visible ? TypedResults.Ok(visible) : TypedResults.NotFound();
    }

    /// <param name="afterId">The last product id of the page before (0, the default, for the first page).</param>
    /// <param name="limit">How many products, 1 to <see cref="MaxDetailsPageSize"/> (100 by default).</param>
    /// <param name="services">The readers.</param>
    /// <param name="cancellationToken">The request's.</param>
    public static async Task<Results<Ok<ProductDetailPage>, ValidationProblem>> ListProductDetails(
        string? afterId, string? limit, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var after = 0;
        if (afterId is not null && !int.TryParse(afterId, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            errors["afterId"] = ["afterId is the last product id of the page before (a whole number, 0 for the first page)."];
        }
        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxDetailsPageSize))
        {
            errors["limit"] = [$"limit is how many products a page holds, 1 to {MaxDetailsPageSize}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await services.Reader.GetProductDetailsAsync(after, size, cancellationToken));
    }

    public static async Task<Results<ContentHttpResult, NotFound>> GetProductImage(
        int id, string image, HttpContext context, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var key = image.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) ? image[..^4] : image;
        if (!Slug.IsValid(key) || await services.Reader.GetImageAsync(id, key, cancellationToken) is not { } svg)
        {
            return TypedResults.NotFound();
        }
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(svg)), 0, 8)}\"";
        context.Response.Headers.CacheControl = "public, max-age=3600";
        context.Response.Headers.ETag = etag;
        return TypedResults.Text(svg, "image/svg+xml", Encoding.UTF8);
    }

    public static async Task<Ok<IReadOnlyList<CategoryNode>>> ListCategories([AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Reader.GetCategoriesAsync(cancellationToken));

    public static async Task<Ok<IReadOnlyList<BrandResponse>>> ListBrands([AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Reader.GetBrandsAsync(cancellationToken));

    public static async Task<Results<Ok<IReadOnlyList<VariantInfo>>, ValidationProblem>> GetVariants(
        string? ids, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        if (ParseIds(ids) is not { } parsed)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["ids"] = [$"Give 1 to {MaxVariantIds} variant ids, comma separated (?ids=12,40)."],
            });
        }
        return TypedResults.Ok(await services.Reader.GetVariantsAsync(parsed, cancellationToken));
    }

    public static async Task<Results<Ok<IReadOnlyList<ProductAvailability>>, ValidationProblem>> GetAvailability(
        string? productIds, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        if (ParseIds(productIds) is not { } ids)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["productIds"] = [$"Give 1 to {MaxVariantIds} product ids, comma separated (?productIds=12,40)."],
            });
        }
        return TypedResults.Ok(await services.Reader.GetAvailabilityAsync(ids, cancellationToken));
    }

    /// <summary>1 to <see cref="MaxVariantIds"/> positive ids, comma separated (distinct); null when anything else.</summary>
    private static int[]? ParseIds(string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = parts.Select(p => int.TryParse(p, out var id) && id > 0 ? id : 0).ToArray();
        return parts.Length is 0 or > MaxVariantIds || parsed.Contains(0) ? null : [.. parsed.Distinct()];
    }

    public static async Task<Results<Ok<VariantInfo>, NotFound>> GetVariant(int id, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        (await services.Reader.GetVariantsAsync([id], cancellationToken)) is [var variant]
            ? TypedResults.Ok(variant)
            : TypedResults.NotFound();

    public static async Task<Results<Created<ProductDetail>, ValidationProblem, ProblemHttpResult>> CreateProduct(
        CreateProductRequest request, ClaimsPrincipal user, [AsParameters] CatalogAdminServices services, CancellationToken cancellationToken)
    {
        var outcome = await services.Admin.CreateAsync(request, Actor(user), cancellationToken);
        return outcome.Result switch
        {
            AdminResult.Done => TypedResults.Created($"/api/catalog/products/{outcome.Value!.Id}", outcome.Value),
            AdminResult.Invalid => TypedResults.ValidationProblem(outcome.Errors!),
            _ => Conflict(outcome.Message),
        };
    }

    public static async Task<Results<Ok<ProductDetail>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateProduct(
        int id, UpdateProductRequest request, ClaimsPrincipal user, [AsParameters] CatalogAdminServices services, CancellationToken cancellationToken)
    {
        var outcome = await services.Admin.UpdateAsync(id, request, Actor(user), cancellationToken);
        return outcome.Result switch
        {
            AdminResult.Done => TypedResults.Ok(outcome.Value!),
            AdminResult.NotFound => TypedResults.NotFound(),
            AdminResult.Invalid => TypedResults.ValidationProblem(outcome.Errors!),
            _ => Conflict(outcome.Message),
        };
    }

    public static async Task<Results<Ok<ProductDetail>, NotFound, ValidationProblem>> UpdateProductSpecs(
        int id, UpdateSpecsRequest request, ClaimsPrincipal user, [AsParameters] CatalogAdminServices services, CancellationToken cancellationToken)
    {
        var outcome = await services.Admin.UpdateSpecsAsync(id, request, Actor(user), cancellationToken);
        return outcome.Result switch
        {
            AdminResult.Done => TypedResults.Ok(outcome.Value!),
            AdminResult.NotFound => TypedResults.NotFound(),
            _ => TypedResults.ValidationProblem(outcome.Errors!),
        };
    }

    /// <param name="category">A category's slug: the definitions its products' sheets hold (its own and its ancestors'), in sheet order.</param>
    /// <param name="services">The readers.</param>
    /// <param name="cancellationToken">The request's.</param>
    public static async Task<Results<Ok<IReadOnlyList<SpecDefinition>>, ValidationProblem>> ListSpecDefinitions(
        string? category, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var all = await services.Reader.GetSpecDefinitionsAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(category))
        {
            return TypedResults.Ok(all);
        }
        var slug = category.Trim().ToLowerInvariant();
        var node = Slug.IsValid(slug) ? Find(await services.Reader.GetCategoriesAsync(cancellationToken), slug, []) : null;
        if (node is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["category"] = ["There is no category with this slug."] });
        }
        return TypedResults.Ok<IReadOnlyList<SpecDefinition>>(Specs.SpecSheets.ForPath(all, node));

        static List<string>? Find(IReadOnlyList<CategoryNode> nodes, string slug, List<string> path)
        {
            foreach (var n in nodes)
            {
                List<string> here = [.. path, n.Slug];
                if (n.Slug == slug)
                {
                    return here;
                }
                if (Find(n.Children, slug, here) is { } found)
                {
                    return found;
                }
            }
            return null;
        }
    }

    public static async Task<Results<NoContent, NotFound>> ArchiveProduct(
        int id, ClaimsPrincipal user, [AsParameters] CatalogAdminServices services, CancellationToken cancellationToken) =>
        await services.Admin.SetArchivedAsync(id, archived: true, Actor(user), cancellationToken) == AdminResult.Done
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    public static async Task<Results<NoContent, NotFound>> RestoreProduct(
        int id, ClaimsPrincipal user, [AsParameters] CatalogAdminServices services, CancellationToken cancellationToken) =>
        await services.Admin.SetArchivedAsync(id, archived: false, Actor(user), cancellationToken) == AdminResult.Done
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    public static async Task<Results<Created<AdminVariantResponse>, NotFound, ValidationProblem, ProblemHttpResult>> AddVariant(
        int id, VariantInput request, ClaimsPrincipal user, [AsParameters] CatalogAdminServices services, CancellationToken cancellationToken)
    {
        var outcome = await services.Admin.AddVariantAsync(id, request, Actor(user), cancellationToken);
        return outcome.Result switch
        {
            AdminResult.Done => TypedResults.Created($"/api/stock/variants/{outcome.Value!.Id}", outcome.Value),
            AdminResult.NotFound => TypedResults.NotFound(),
            AdminResult.Invalid => TypedResults.ValidationProblem(outcome.Errors!),
            _ => Conflict(outcome.Message),
        };
    }

    public static async Task<Results<Ok<AdminVariantResponse>, NotFound, ValidationProblem>> UpdateVariant(
        int id, UpdateVariantRequest request, ClaimsPrincipal user, [AsParameters] CatalogAdminServices services, CancellationToken cancellationToken)
    {
        var outcome = await services.Admin.UpdateVariantAsync(id, request, Actor(user), cancellationToken);
        return outcome.Result switch
        {
            AdminResult.Done => TypedResults.Ok(outcome.Value!),
            AdminResult.NotFound => TypedResults.NotFound(),
            _ => TypedResults.ValidationProblem(outcome.Errors!),
        };
    }

    /// <summary>Archived products are hidden from everyone but admins.</summary>
    private static ProductDetail? Visible(ProductDetail? product, ClaimsPrincipal user) =>
        product is { Archived: true } && !user.IsInRole(AppRoles.Admin) ? null : product;

    /// <summary>Who made a change, as stock movements and logs record it.</summary>
    internal static string Actor(ClaimsPrincipal user) =>
        user.IsService() ? $"service:{user.GetUserId()}" : user.Identity?.Name ?? user.GetUserId() ?? "unknown";

    private static ProblemHttpResult Conflict(string? message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}
