using System.Globalization;
using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Apis;

/// <summary>What the order handlers need, in one <c>[AsParameters]</c> record.</summary>
public sealed record OrderServices(OrderStore Store, OrderService Orders, CheckoutService Checkout, CartService Carts);

/// <summary>
/// <c>/api/orders</c>: checkout and a customer's own orders (another customer's read as not found); admins see and
/// move every order (<c>/api/admin/orders</c>, ship, deliver, cancel).
/// </summary>
public static class OrdersApi
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/orders").WithTags("Orders").RequireAuthorization();

        api.MapPost("/", PlaceOrder).WithName("PlaceOrder")
            .WithSummary("Check out the cart (header Idempotency-Key): 201 with the order, 200 with the same order on a repeat");
        api.MapGet("/", ListMyOrders).WithName("ListMyOrders").WithSummary("The signed-in customer's orders, newest first");
        api.MapGet("/{id:long}", GetOrder).WithName("GetOrder").WithSummary("One of the customer's orders (any order for an admin)");
        api.MapGet("/by-number/{number}", GetOrderByNumber).WithName("GetOrderByNumber").WithSummary("An order by its number (SO-00001042)");
        api.MapPost("/{id:long}/cancel", CancelOrder).WithName("CancelOrder")
            .WithSummary("Cancel before it ships (the owner, or an admin): the stock returns");
        api.MapPost("/{id:long}/ship", ShipOrder).RequireAuthorization(AuthorizationPolicies.Admin)
            .WithName("ShipOrder").WithSummary("Mark a paid order shipped (Admin)");
        api.MapPost("/{id:long}/deliver", DeliverOrder).RequireAuthorization(AuthorizationPolicies.Admin)
            .WithName("DeliverOrder").WithSummary("Mark a shipped order delivered (Admin)");

        app.MapGet("api/admin/orders", ListAllOrders).WithTags("Orders").RequireAuthorization(AuthorizationPolicies.Admin)
            .WithName("ListAllOrders").WithSummary("Every order, newest first, filtered by status, customer email and dates (Admin)");

        return app;
    }

    public static async Task<Results<Created<OrderResponse>, Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> PlaceOrder(
        CheckoutRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, [FromHeader(Name = CartApi.CartIdHeader)] string? cartId,
        ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        // A shopper who filled a cart before signing in checks out what is in it.
        if (Guid.TryParse(cartId, out var anonymousCart) && anonymousCart != Guid.Empty)
        {
            await services.Carts.MergeAsync(CartKey.ForAnonymous(anonymousCart), CartKey.ForCustomer(user.GetUserId()!), cancellationToken);
        }
        var outcome = await services.Checkout.CheckoutAsync(user.GetUserId()!, idempotencyKey?.Trim(), request, cancellationToken);
        return outcome.Result switch
        {
            CheckoutResult.Created => TypedResults.Created($"/api/orders/{outcome.Order!.Id}", outcome.Order),
            CheckoutResult.Replayed => TypedResults.Ok(outcome.Order!),
            CheckoutResult.Invalid => TypedResults.ValidationProblem(outcome.Errors!),
            CheckoutResult.EmptyCart => TypedResults.Problem("There is nothing in the cart to order.",
                statusCode: StatusCodes.Status400BadRequest, title: "The cart is empty"),
            CheckoutResult.LinesRefused => TypedResults.Problem(
                $"Some lines cannot be ordered: {string.Join("; ", outcome.Lines!.Select(l => $"{l.Sku} (variant {l.VariantId}): {l.Problem}"))}",
                statusCode: StatusCodes.Status409Conflict, title: "Some cart lines cannot be ordered",
                extensions: new Dictionary<string, object?> { ["lines"] = outcome.Lines }),
            CheckoutResult.PaymentDeclined => TypedResults.Problem("The card was declined. Nothing was charged and the order was cancelled; the cart is kept, to pay another way.",
                statusCode: StatusCodes.Status402PaymentRequired, title: "Payment declined",
                extensions: new Dictionary<string, object?> { ["orderId"] = outcome.Order?.Id, ["number"] = outcome.Order?.Number }),
            CheckoutResult.KeyReused => TypedResults.Problem("This Idempotency-Key was used for a different checkout. Use a new key for a new order.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused"),
            CheckoutResult.UnknownCustomer => TypedResults.Problem("The signed-in account no longer exists.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown customer"),
            _ => TypedResults.Problem("Another checkout of this cart is in progress. Try again in a moment.",
                statusCode: StatusCodes.Status409Conflict, title: "Checkout in progress"),
        };
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListMyOrders(
        string? page, string? pageSize, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (number, size) = ParsePage(page, pageSize, errors);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await services.Store.ListAsync(new OrderFilter(CustomerId: user.GetUserId()), number, size, cancellationToken));
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListAllOrders(
        string? status, string? email, string? from, string? to, string? page, string? pageSize,
        [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (number, size) = ParsePage(page, pageSize, errors);
        OrderStatus? statusFilter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (Enum.TryParse<OrderStatus>(status.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = [$"status is one of {string.Join(", ", Enum.GetNames<OrderStatus>())}."];
            }
        }
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var filter = new OrderFilter(null, statusFilter, string.IsNullOrWhiteSpace(email) ? null : email.Trim(), fromDate, toDate);
        return TypedResults.Ok(await services.Store.ListAsync(filter, number, size, cancellationToken));
    }

    public static async Task<Results<Ok<OrderResponse>, NotFound>> GetOrder(
        long id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken cancellationToken) =>
        Visible(await services.Store.GetAsync(id, cancellationToken), user) is { } order ? TypedResults.Ok(order) : TypedResults.NotFound();

    public static async Task<Results<Ok<OrderResponse>, NotFound>> GetOrderByNumber(
        string number, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken cancellationToken) =>
        await services.Store.FindByNumberAsync(number, cancellationToken) is { } id
        && Visible(await services.Store.GetAsync(id, cancellationToken), user) is { } order
            ? TypedResults.Ok(order)
            : TypedResults.NotFound();

    public static async Task<Results<Ok<OrderResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CancelOrder(
        long id, [FromBody] CancelOrderRequest? request, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken cancellationToken)
    {
        if (CheckoutRules.CheckCancel(request) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
        // A customer can cancel only their own order; another's is "not found", as if it did not exist.
        var ownerId = user.IsInRole(AppRoles.Admin) ? null : user.GetUserId();
        return ToResult(await services.Orders.ChangeAsync(id, OrderStatus.Cancelled, Actor(user), reason ?? "cancelled by " + (ownerId is null ? "an admin" : "the customer"), ownerId, cancellationToken));
    }

    public static async Task<Results<Ok<OrderResponse>, NotFound, ValidationProblem, ProblemHttpResult>> ShipOrder(
        long id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken cancellationToken) =>
        ToResult(await services.Orders.ChangeAsync(id, OrderStatus.Shipped, Actor(user), null, null, cancellationToken));

    public static async Task<Results<Ok<OrderResponse>, NotFound, ValidationProblem, ProblemHttpResult>> DeliverOrder(
        long id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken cancellationToken) =>
        ToResult(await services.Orders.ChangeAsync(id, OrderStatus.Delivered, Actor(user), null, null, cancellationToken));

    private static Results<Ok<OrderResponse>, NotFound, ValidationProblem, ProblemHttpResult> ToResult(OrderChangeOutcome outcome) => outcome.Result switch
    {
        OrderChangeResult.Done => TypedResults.Ok(outcome.Order!),
        OrderChangeResult.NotFound => TypedResults.NotFound(),
        _ => TypedResults.Problem(outcome.Refusal, statusCode: StatusCodes.Status409Conflict, title: "Status change not allowed"),
    };

    private static OrderResponse? Visible(OrderResponse? order, ClaimsPrincipal user) =>
        order is not null && (order.CustomerId == user.GetUserId() || user.IsInRole(AppRoles.Admin)) ? order : null;

    /// <summary>Who made a change, as the history shows it: the person's email (their user name), else their id.</summary>
    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? user.GetUserId() ?? "unknown";

    private static (int Page, int PageSize) ParsePage(string? page, string? pageSize, Dictionary<string, string[]> errors) =>
        (ParseInt(page, "page", 1, 10_000, 1, errors), ParseInt(pageSize, "pageSize", 1, MaxPageSize, DefaultPageSize, errors));

    internal static int ParseInt(string? text, string field, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [$"{field} must be a whole number from {min} to {max}."];
            return fallback;
        }
        return value;
    }

    public static DateOnly? ParseDate(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors[field] = [$"{field} must be a date as yyyy-MM-dd."];
        return null;
    }
}
