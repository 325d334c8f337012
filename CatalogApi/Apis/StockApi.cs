using System.Globalization;
using System.Security.Claims;
using CatalogApi.Model;
using CatalogApi.Services;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CatalogApi.Apis;

/// <summary>The stock handlers' dependencies, injected as one parameter.</summary>
public sealed record StockServices(StockService Stock, ReservationService Reservations, IOptions<CatalogOptions> Options);

/// <summary>
/// <c>/api/stock</c>: stock levels, movements and low-stock lists for admins; reservations for OrderingApi (its service
/// token with the scope <see cref="ReservationsScope"/>) or an admin. Shoppers never call these directly.
/// </summary>
public static class StockApi
{
    /// <summary>The authorization policy of the reservation endpoints.</summary>
    public const string ReservationsPolicy = "StockReservations";

    /// <summary>The scope a service token needs to hold, commit and release stock (OrderingApi's client).</summary>
    public const string ReservationsScope = "stock:reserve";

    /// <summary>The scope a service token needs to read every variant's stock levels (the forecaster's client).</summary>
    public const string StockReadScope = "stock:read";

    /// <summary>Largest page of <c>GET /api/stock/levels</c>: the whole catalog in a few requests.</summary>
    public const int MaxLevelsPageSize = 1000;

    public static IEndpointRouteBuilder MapStockApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/stock").WithTags("Stock");

        api.MapGet("/variants/{id:int}", GetStockLevel)
            .WithName("GetStockLevel")
            .WithSummary("A variant's on hand, reserved, available and latest movements")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPut("/variants/{id:int}", SetOnHand)
            .WithName("SetOnHand")
            .WithSummary("Set on hand to a counted value, with a reason")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPost("/variants/{id:int}/adjustments", AdjustStock)
            .WithName("AdjustStock")
            .WithSummary("Record a receipt, a return or an adjustment, with a reason")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapGet("/levels", ListStockLevels)
            .WithName("ListStockLevels")
            .WithSummary("Every variant's stock and reorder settings, by variant id (?ids=1,2 for some; ?afterId=N for the page after variant N): the forecaster's view")
            .RequireAuthorization(AuthorizationPolicies.AdminOrScope(StockReadScope));
        api.MapGet("/low", ListLowStock)
            .WithName("ListLowStock")
            .WithSummary("Variants at or below their reorder point, the emptiest first")
            .RequireAuthorization(AuthorizationPolicies.Admin);

        api.MapPost("/reservations", CreateReservation)
            .WithName("CreateReservation")
            .WithSummary("Hold stock for a cart or an order: all lines or none")
            .RequireAuthorization(ReservationsPolicy);
        api.MapGet("/reservations/committed", ListCommittedReservations)
            .WithName("ListCommittedReservations")
            .WithSummary("The caller's committed reservations in commit order, a page at a time (from, to, afterId, limit)")
            .RequireAuthorization(ReservationsPolicy);
        api.MapGet("/reservations/{id:guid}", GetReservation)
            .WithName("GetReservation")
            .WithSummary("A reservation and its lines")
            .RequireAuthorization(ReservationsPolicy);
        api.MapPost("/reservations/{id:guid}/commit", CommitReservation)
            .WithName("CommitReservation")
            .WithSummary("Turn the reservation into a sale (on hand goes down)")
            .RequireAuthorization(ReservationsPolicy);
        api.MapPost("/reservations/{id:guid}/extend", ExtendReservation)
            .WithName("ExtendReservation")
            .WithSummary("Move an active reservation's expiry to now + expiresInSeconds")
            .RequireAuthorization(ReservationsPolicy);
        api.MapDelete("/reservations/{id:guid}", ReleaseReservation)
            .WithName("ReleaseReservation")
            .WithSummary("Give the reserved stock back")
            .RequireAuthorization(ReservationsPolicy);
        api.MapPost("/reservations/commit", CommitReservations)
            .WithName("CommitReservations")
            .WithSummary("Commit several reservations as one sale: all or none (an order)")
            .RequireAuthorization(ReservationsPolicy);
        api.MapPost("/reservations/return", ReturnReservations)
            .WithName("ReturnReservations")
            .WithSummary("Put the stock of committed reservations back on hand (a cancelled order)")
            .RequireAuthorization(ReservationsPolicy);

        return app;
    }

    public static async Task<Results<Ok<StockLevelResponse>, NotFound>> GetStockLevel(int id, [AsParameters] StockServices services, CancellationToken cancellationToken) =>
        await services.Stock.GetLevelAsync(id, cancellationToken) is { } level ? TypedResults.Ok(level) : TypedResults.NotFound();

    public static async Task<Results<Ok<StockLevelResponse>, NotFound, ValidationProblem, ProblemHttpResult>> SetOnHand(
        int id, SetStockRequest request, ClaimsPrincipal user, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (StockRequestRules.CheckSet(request) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return ToResult(await services.Stock.SetOnHandAsync(id, request.OnHand!.Value, request.Reason!.Trim(), CatalogApi.Actor(user), cancellationToken));
    }

    public static async Task<Results<Ok<StockLevelResponse>, NotFound, ValidationProblem, ProblemHttpResult>> AdjustStock(
        int id, AdjustStockRequest request, ClaimsPrincipal user, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (StockRequestRules.CheckAdjust(request, out var kind) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return ToResult(await services.Stock.AdjustAsync(id, request.Quantity!.Value, kind, request.Reason!.Trim(), request.Reference, CatalogApi.Actor(user), cancellationToken));
    }

    public static async Task<Results<Ok<StockLevelPage>, ValidationProblem>> ListStockLevels(
        string? page, string? pageSize, string? ids, string? afterId, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        var errors = StockRequestRules.CheckPage(page, pageSize, 500, out var pageNumber, out var size, MaxLevelsPageSize);
        int? after = null;
        if (afterId is not null)
        {
            if (int.TryParse(afterId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && page is null)
            {
                after = id;
            }
            else
            {
                errors["afterId"] = ["afterId is the last variant id of the page before (a whole number, 0 for the first page), without page."];
            }
        }
        var parts = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var variantIds = parts.Select(p => int.TryParse(p, out var id) && id > 0 ? id : 0).ToArray();
        if (parts.Length > CatalogApi.MaxVariantIds || variantIds.Contains(0))
        {
            errors["ids"] = [$"Give up to {CatalogApi.MaxVariantIds} variant ids, comma separated (?ids=12,40)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await services.Stock.GetLevelsAsync(pageNumber, size, variantIds, after, cancellationToken));
    }

    public static async Task<Results<Ok<LowStockPage>, ValidationProblem>> ListLowStock(
        string? page, string? pageSize, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (StockRequestRules.CheckPage(page, pageSize, 50, out var pageNumber, out var size) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await services.Stock.GetLowStockAsync(pageNumber, size, cancellationToken));
    }

    public static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ValidationProblem, ProblemHttpResult>> CreateReservation(
        CreateReservationRequest request, ClaimsPrincipal user, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (StockRequestRules.CheckReservation(request, services.Options.Value.MaxReservationSeconds) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var outcome = await services.Reservations.CreateAsync(request, CatalogApi.Actor(user), cancellationToken);
        return outcome.Result switch
        {
            ReservationResult.Created => TypedResults.Created($"/api/stock/reservations/{outcome.Reservation!.Id}", outcome.Reservation),
            ReservationResult.AlreadyExists => TypedResults.Ok(outcome.Reservation!),
            ReservationResult.UnknownVariants => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["lines"] = [$"Unknown variants: {string.Join(", ", outcome.UnknownVariants!)}."],
            }),
            ReservationResult.Insufficient => TypedResults.Problem(
                "Not enough stock for every line: nothing was reserved.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Insufficient stock",
                type: "https://summit-outfitters.example/problems/insufficient-stock",
                extensions: new Dictionary<string, object?> { ["shortages"] = outcome.Shortages }),
            _ => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        };
    }

    /// <summary>Largest page of <c>GET /api/stock/reservations/committed</c>.</summary>
    public const int MaxCommittedPageSize = 1000;

    public static async Task<Results<Ok<CommittedReservationPage>, ValidationProblem>> ListCommittedReservations(
        string? from, string? to, string? afterId, string? limit, ClaimsPrincipal user, [AsParameters] StockServices services, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var start = DateTimeOffset.MinValue;
        if (from is null || !DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
        {
            errors["from"] = ["Give from as a date and time (ISO 8601, e.g. 2026-11-21T10:00:00Z)."];
        }
        var end = clock.GetUtcNow();
        if (to is not null && !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end))
        {
            errors["to"] = ["to is a date and time (ISO 8601), or left out for now."];
        }
        var after = Guid.Empty;
        if (afterId is not null && !Guid.TryParse(afterId, out after))
        {
            errors["afterId"] = ["afterId is the id of the last reservation of the previous page."];
        }
        var size = StockRequestRules.ParseWholeNumber(limit, "limit", 500, 1, MaxCommittedPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await services.Reservations.ListCommittedAsync(CatalogApi.Actor(user), start, after, end, size, cancellationToken));
    }

    public static async Task<Results<Ok<ReservationResponse>, NotFound>> GetReservation(Guid id, [AsParameters] StockServices services, CancellationToken cancellationToken) =>
        await services.Reservations.GetAsync(id, cancellationToken) is { } reservation ? TypedResults.Ok(reservation) : TypedResults.NotFound();

    public static async Task<Results<Ok<ReservationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CommitReservation(
        Guid id, [FromBody] CommitReservationRequest? request, ClaimsPrincipal user, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (request?.Reference is { Length: > StockRequestRules.MaxTextLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reference"] = [$"reference is limited to {StockRequestRules.MaxTextLength} characters."] });
        }
        return ToResult(await services.Reservations.CommitAsync(id, request?.Reference, CatalogApi.Actor(user), cancellationToken));
    }

    public static async Task<Results<Ok<ReservationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> ExtendReservation(
        Guid id, ExtendReservationRequest request, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (StockRequestRules.CheckExtend(request, services.Options.Value.MaxReservationSeconds) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return ToResult(await services.Reservations.ExtendAsync(id, request.ExpiresInSeconds!.Value, cancellationToken));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> ReleaseReservation(
        Guid id, ClaimsPrincipal user, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        var outcome = await services.Reservations.ReleaseAsync(id, CatalogApi.Actor(user), cancellationToken);
        return outcome.Result switch
        {
            ReservationResult.Done => TypedResults.NoContent(),
            ReservationResult.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        };
    }

    public static async Task<Results<Ok<CommitReservationsResponse>, ValidationProblem, ProblemHttpResult>> CommitReservations(
        ReservationBatchRequest request, ClaimsPrincipal user, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (CheckBatch(request) is { } invalid)
        {
            return invalid;
        }
        var prices = new Dictionary<int, decimal>();
        foreach (var expected in request.Prices ?? [])
        {
            if (expected is not { VariantId: > 0, Price: >= 0 } || !prices.TryAdd(expected.VariantId.Value, expected.Price.Value))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["prices"] = ["Each expected price needs a variantId (once) and a price of 0 or more."],
                });
            }
        }
        var outcome = await services.Reservations.CommitManyAsync(request.Ids!, request.Reference, request.Prices is null ? null : prices,
            CatalogApi.Actor(user), cancellationToken);
        return outcome.Result == ReservationResult.Done
            ? TypedResults.Ok(new CommitReservationsResponse(outcome.Lines ?? []))
            : Refused(outcome);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ReturnReservations(
        ReservationBatchRequest request, ClaimsPrincipal user, [AsParameters] StockServices services, CancellationToken cancellationToken)
    {
        if (CheckBatch(request) is { } invalid)
        {
            return invalid;
        }
        if (request.Prices is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["prices"] = ["Prices are checked when committing, not when returning."] });
        }
        if (request.RequireReference == true && string.IsNullOrEmpty(request.Reference))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reference"] = ["requireReference needs the reference the reservations were committed under."] });
        }
        var outcome = await services.Reservations.ReturnManyAsync(request.Ids!, request.Reference, request.RequireReference == true, CatalogApi.Actor(user), cancellationToken);
        return outcome.Result == ReservationResult.Done ? TypedResults.NoContent() : Refused(outcome);
    }

    private static ValidationProblem? CheckBatch(ReservationBatchRequest request)
    {
        if (request.Ids is not { Count: > 0 and <= StockRequestRules.MaxLines } || request.Ids.Contains(Guid.Empty))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = [$"Give 1 to {StockRequestRules.MaxLines} reservation ids."] });
        }
        if (request.Reference is { Length: > StockRequestRules.MaxTextLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reference"] = [$"reference is limited to {StockRequestRules.MaxTextLength} characters."] });
        }
        if (request.Prices is { Count: > StockRequestRules.MaxLines })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["prices"] = [$"Give at most {StockRequestRules.MaxLines} expected prices."] });
        }
        return null;
    }

    private static ProblemHttpResult Refused(ReservationBatchOutcome outcome) => outcome switch
    {
        { Result: ReservationResult.NotFound } => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status404NotFound,
            title: "Unknown reservations", extensions: new Dictionary<string, object?> { ["reservations"] = outcome.Problems }),
        { LineProblems.Count: > 0 } => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict,
            title: "Prices or products changed", extensions: new Dictionary<string, object?> { ["variants"] = outcome.LineProblems }),
        _ => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict,
            title: "Reservations not in the right state", extensions: new Dictionary<string, object?> { ["reservations"] = outcome.Problems }),
    };

    private static Results<Ok<StockLevelResponse>, NotFound, ValidationProblem, ProblemHttpResult> ToResult(StockOutcome outcome) => outcome.Result switch
    {
        StockResult.Done => TypedResults.Ok(outcome.Level!),
        StockResult.NotFound => TypedResults.NotFound(),
        _ => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Stock change refused"),
    };

    private static Results<Ok<ReservationResponse>, NotFound, ValidationProblem, ProblemHttpResult> ToResult(ReservationOutcome outcome) => outcome.Result switch
    {
        ReservationResult.Done => TypedResults.Ok(outcome.Reservation!),
        ReservationResult.NotFound => TypedResults.NotFound(),
        _ => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            extensions: new Dictionary<string, object?> { ["status"] = outcome.Reservation?.Status }),
    };
}
