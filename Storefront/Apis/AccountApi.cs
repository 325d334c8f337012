using Microsoft.AspNetCore.Http.HttpResults;
using Storefront.Auth;
using Storefront.Services;

namespace Storefront.Apis;

/// <summary>The storefront's own endpoints besides its pages: sign-out, and product pictures passed on from CatalogApi.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        // A form post (antiforgery-checked: the form binding makes the framework validate the token).
        app.MapPost("/account/logout", Logout)
            .WithName("SignOut")
            .WithSummary("Ends the sign-in here and at OrderingApi, then goes to the home page")
            .AllowAnonymous();

        // The catalog's image URLs (/api/catalog/products/12/images/red.svg) are relative: the shop serves the same paths.
        app.MapGet("/api/catalog/products/{id:int}/images/{image}", GetProductImage)
            .WithName("GetProductImage")
            .WithSummary("A product picture from CatalogApi, cached by browsers for an hour")
            .AllowAnonymous();

        return app;
    }

    public static async Task<RedirectHttpResult> Logout(HttpContext context, IFormCollection form, AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.SignOutAsync(context, cancellationToken);
        return TypedResults.LocalRedirect("~/");
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> GetProductImage(
        int id, string image, HttpContext context, CatalogClient catalog, CancellationToken cancellationToken)
    {
        if (await catalog.GetImageAsync(id, image, cancellationToken) is not { } picture)
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.File(picture.Content, picture.ContentType);
    }
}
