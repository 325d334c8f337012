using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Apis;

/// <summary>
/// <c>/api/cart</c>: open to everyone. A signed-in customer has one cart; an anonymous shopper's cart is named by the
/// <c>X-Cart-Id</c> header (a GUID; made and sent back when missing). A signed-in request that also names an
/// anonymous cart merges it into the customer's first.
/// </summary>
public static class CartApi
{
    public const string CartIdHeader = "X-Cart-Id";

    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/cart").WithTags("Cart").AllowAnonymous();

        api.MapGet("/", GetCart).WithName("GetCart").WithSummary("The cart, with each line's reservation expiry");
        api.MapPost("/items", AddItem).WithName("AddCartItem").WithSummary("Add units of a variant: the stock is reserved at once");
        api.MapPut("/items/{variantId:int}", SetItem).WithName("SetCartItem").WithSummary("Set a line's quantity (0 removes it)");
        api.MapDelete("/items/{variantId:int}", RemoveItem).WithName("RemoveCartItem").WithSummary("Remove a line: its stock is released");
        api.MapDelete("/", ClearCart).WithName("ClearCart").WithSummary("Empty the cart: every reservation is released");
        api.MapPost("/merge", MergeCart).RequireAuthorization()
            .WithName("MergeCart").WithSummary("Move an anonymous cart into the signed-in customer's cart");

        return app;
    }

    public static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> GetCart(
        HttpContext context, ClaimsPrincipal user, CartService carts, CancellationToken cancellationToken)
    {
        var (key, problem) = await ResolveAsync(context, user, carts, cancellationToken);
        return problem ?? ToResult(await carts.GetAsync(key, cancellationToken));
    }

    public static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> AddItem(
        AddCartItemRequest request, HttpContext context, ClaimsPrincipal user, CartService carts, CancellationToken cancellationToken)
    {
        if (CheckoutRules.CheckAdd(request) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var (key, problem) = await ResolveAsync(context, user, carts, cancellationToken);
        return problem ?? ToResult(await carts.AddAsync(key, request.VariantId!.Value, request.Quantity!.Value, cancellationToken));
    }

    public static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> SetItem(
        int variantId, SetCartItemRequest request, HttpContext context, ClaimsPrincipal user, CartService carts, CancellationToken cancellationToken)
    {
        if (CheckoutRules.CheckSet(request) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var (key, problem) = await ResolveAsync(context, user, carts, cancellationToken);
        return problem ?? ToResult(await carts.SetAsync(key, variantId, request.Quantity!.Value, cancellationToken));
    }

    public static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> RemoveItem(
        int variantId, HttpContext context, ClaimsPrincipal user, CartService carts, CancellationToken cancellationToken)
    {
        var (key, problem) = await ResolveAsync(context, user, carts, cancellationToken);
        return problem ?? ToResult(await carts.RemoveAsync(key, variantId, cancellationToken));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ClearCart(
        HttpContext context, ClaimsPrincipal user, CartService carts, CancellationToken cancellationToken)
    {
        var (key, problem) = await ResolveAsync(context, user, carts, cancellationToken);
        if (problem is not null)
        {
            return problem.Result switch { ValidationProblem v => v, ProblemHttpResult p => p, _ => throw new InvalidOperationException() };
        }
        var outcome = await carts.ClearAsync(key, cancellationToken);
        return outcome.Error == CartError.None ? TypedResults.NoContent() : Problem(outcome);
    }

    public static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> MergeCart(
        MergeCartRequest request, ClaimsPrincipal user, CartService carts, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.CartId, out var cartId) || cartId == Guid.Empty)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cartId"] = ["The id of an anonymous cart (a GUID) is required."] });
        }
        return ToResult(await carts.MergeAsync(CartKey.ForAnonymous(cartId), CartKey.ForCustomer(user.GetUserId()!), cancellationToken));
    }

    /// <summary>
    /// The caller's cart: a signed-in customer's own (merging the anonymous cart named in the header into it first),
    /// else the anonymous cart of the header, or a new one whose id goes back in the response header.
    /// </summary>
    private static async Task<(CartKey Key, Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>? Problem)> ResolveAsync(
        HttpContext context, ClaimsPrincipal user, CartService carts, CancellationToken cancellationToken)
    {
        Guid? headerId = null;
        if (context.Request.Headers[CartIdHeader] is { Count: > 0 } values && !string.IsNullOrWhiteSpace(values.ToString()))
        {
            if (!Guid.TryParse(values.ToString(), out var parsed) || parsed == Guid.Empty)
            {
                return (default, TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [CartIdHeader] = [$"The {CartIdHeader} header must be a cart id (a GUID)."],
                }));
            }
            headerId = parsed;
        }

        if (IsCustomer(user))
        {
            var customer = CartKey.ForCustomer(user.GetUserId()!);
            if (headerId is { } anonymousId)
            {
                var merged = await carts.MergeAsync(CartKey.ForAnonymous(anonymousId), customer, cancellationToken);
                if (merged.Error != CartError.None)
                {
                    return (customer, Problem(merged));
                }
            }
            return (customer, null);
        }

        var id = headerId ?? Guid.NewGuid();
        context.Response.Headers[CartIdHeader] = id.ToString();
        return (CartKey.ForAnonymous(id), null);
    }

    /// <summary>A person signed in (service tokens have no cart of their own; they are treated as anonymous).</summary>
    public static bool IsCustomer(ClaimsPrincipal user) =>
        user.GetUserId() is not null && (user.IsInRole(AppRoles.Customer) || user.IsInRole(AppRoles.Admin));

    private static Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult> ToResult(CartOutcome outcome) =>
        outcome.Error == CartError.None ? TypedResults.Ok(outcome.Cart!) : Problem(outcome);

    private static ProblemHttpResult Problem(CartOutcome outcome) => outcome.Error switch
    {
        CartError.UnknownVariant => TypedResults.Problem($"There is no variant {outcome.VariantId} for sale.",
            statusCode: StatusCodes.Status404NotFound, title: "Unknown variant",
            extensions: new Dictionary<string, object?> { ["variantId"] = outcome.VariantId }),
        CartError.NotInCart => TypedResults.Problem($"Variant {outcome.VariantId} is not in the cart.",
            statusCode: StatusCodes.Status404NotFound, title: "Not in the cart",
            extensions: new Dictionary<string, object?> { ["variantId"] = outcome.VariantId }),
        CartError.Insufficient => TypedResults.Problem(
            outcome.Available == 0 ? "This item is sold out (what is left is in other shoppers' carts)." : $"Only {outcome.Available} available.",
            statusCode: StatusCodes.Status409Conflict, title: "Not enough stock",
            type: "https://summit-outfitters.example/problems/insufficient-stock",
            extensions: new Dictionary<string, object?> { ["variantId"] = outcome.VariantId, ["available"] = outcome.Available }),
        CartError.TooMany => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status400BadRequest, title: "Too many items",
            extensions: new Dictionary<string, object?> { ["variantId"] = outcome.VariantId }),
        _ => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Cart busy"),
    };
}
