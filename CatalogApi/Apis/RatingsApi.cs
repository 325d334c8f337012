using CatalogApi.Model;
using CatalogApi.Services;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CatalogApi.Apis;

/// <summary>
/// <c>PUT /api/catalog/ratings</c>: OrderingApi (its service token with the scope <see cref="RatingsScope"/>) tells the
/// catalog each product's rating summary after a review changes, and all of them after a start or the demo history.
/// Listings and product pages then show and sort by them.
/// </summary>
public static class RatingsApi
{
    /// <summary>The scope a service token needs to set rating summaries (OrderingApi's own token).</summary>
    public const string RatingsScope = "ratings:write";

    public static IEndpointRouteBuilder MapRatingsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("api/catalog/ratings", SetRatings)
            .WithTags("Catalog")
            .WithName("SetProductRatings")
            .WithSummary("Set products' rating summaries (average, count), or all of them with replaceAll (service token with scope ratings:write)")
            .RequireAuthorization(new AuthorizationPolicyBuilder().RequireScope(RatingsScope).Build());
        return app;
    }

    public static async Task<Results<Ok<ProductRatingsResponse>, ValidationProblem>> SetRatings(
        ProductRatingsRequest request, ProductRatings ratings, CancellationToken cancellationToken) =>
        ProductRatings.Check(request) is { Count: > 0 } errors
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(new ProductRatingsResponse(await ratings.ApplyAsync(request, cancellationToken)));
}
