using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Apis;

/// <summary>
/// <c>/api/favourites</c>: a signed-in customer's own favourite products (a person: Customer or Admin; service tokens
/// have none). Nobody reads or changes another's: every call works on the caller's own list.
/// </summary>
public static class FavouritesApi
{
    public static IEndpointRouteBuilder MapFavouritesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/favourites").WithTags("Favourites")
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(AppRoles.Customer, AppRoles.Admin));

        api.MapGet("/", List).WithName("ListFavourites")
            .WithSummary("The favourites, newest first, with price, picture, stock now and whether each is back in stock");
        api.MapGet("/ids", ListIds).WithName("ListFavouriteIds").WithSummary("Only the favourite product ids, newest first");
        api.MapPut("/{productId:int}", Add).WithName("AddFavourite")
            .WithSummary("Make a product a favourite: 201 when new, 200 when it already was; 404 for a product the shop does not sell");
        api.MapDelete("/{productId:int}", Remove).WithName("RemoveFavourite").WithSummary("Remove a favourite (fine when it is not one)");
        api.MapPost("/merge", Merge).WithName("MergeFavourites")
            .WithSummary("Add the favourites kept in the browser before signing in (newest first); unknown products are skipped");

        return app;
    }

    public static async Task<Ok<FavouriteList>> List(ClaimsPrincipal user, FavouritesService favourites, CancellationToken cancellationToken) =>
        TypedResults.Ok(await favourites.ListAsync(user.GetUserId()!, cancellationToken));

    public static async Task<Ok<FavouriteIds>> ListIds(ClaimsPrincipal user, FavouritesService favourites, CancellationToken cancellationToken) =>
        TypedResults.Ok(await favourites.ListIdsAsync(user.GetUserId()!, cancellationToken));

    public static async Task<Results<Created<FavouriteItem>, Ok<FavouriteItem>, ValidationProblem, ProblemHttpResult>> Add(
        int productId, ClaimsPrincipal user, FavouritesService favourites, CancellationToken cancellationToken)
    {
        if (productId <= 0)
        {
            return ProductIdProblem();
        }
        var outcome = await favourites.AddAsync(user.GetUserId()!, productId, cancellationToken);
        return outcome.Result switch
        {
            FavouriteResult.Added => TypedResults.Created("/api/favourites", outcome.Item),
            FavouriteResult.AlreadyThere => TypedResults.Ok(outcome.Item),
            FavouriteResult.UnknownProduct => TypedResults.Problem($"The shop does not sell a product {productId}.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown product",
                extensions: new Dictionary<string, object?> { ["productId"] = productId }),
            _ => TypedResults.Problem($"You can keep up to {FavouritesService.Limit} favourites. Remove one to add another.",
                statusCode: StatusCodes.Status409Conflict, title: "Too many favourites",
                extensions: new Dictionary<string, object?> { ["limit"] = FavouritesService.Limit }),
        };
    }

    public static async Task<Results<NoContent, ValidationProblem>> Remove(
        int productId, ClaimsPrincipal user, FavouritesService favourites, CancellationToken cancellationToken)
    {
        if (productId <= 0)
        {
            return ProductIdProblem();
        }
        await favourites.RemoveAsync(user.GetUserId()!, productId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MergeFavouritesResponse>, ValidationProblem>> Merge(
        MergeFavouritesRequest request, ClaimsPrincipal user, FavouritesService favourites, CancellationToken cancellationToken)
    {
        if (request.ProductIds is not { } ids || ids.Length > FavouritesService.Limit || ids.Any(id => id <= 0))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["productIds"] = [$"Give up to {FavouritesService.Limit} product ids (positive numbers), newest first."],
            });
        }
        return TypedResults.Ok(await favourites.MergeAsync(user.GetUserId()!, ids, cancellationToken));
    }

    private static ValidationProblem ProductIdProblem() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["productId"] = ["A product id is a positive number."],
    });
}
