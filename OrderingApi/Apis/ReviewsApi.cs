using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderingApi.Model;
using OrderingApi.Services.Reviews;

namespace OrderingApi.Apis;

/// <summary>What the review handlers need, in one <c>[AsParameters]</c> record.</summary>
public sealed record ReviewServices(ReviewStore Store, RatingPublisher Ratings);

/// <summary>
/// <c>/api/reviews</c>: anyone reads a product's visible reviews with its rating summary; a signed-in customer writes
/// and edits their own review of a product they received (a verified purchase), and marks others' reviews helpful
/// once each; <c>/api/admin/reviews</c>: admins list every review and hide one with a reason, or show it again.
/// </summary>
public static class ReviewsApi
{
    private const int DefaultPageSize = 10;
    private const int MaxPageSize = 50;

    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/reviews").WithTags("Reviews").RequireAuthorization();
        api.MapGet("/products/{productId:int}", ListProductReviews).AllowAnonymous().WithName("ListProductReviews")
            .WithSummary("A product's visible reviews (sort newest, helpful, highest, lowest; paged) with its average, count and stars");
        api.MapGet("/products/{productId:int}/mine", GetMyReview).WithName("GetMyReview")
            .WithSummary("Whether the signed-in customer may review the product (and why not), and their review (hidden ones too)");
        api.MapPut("/products/{productId:int}/mine", WriteMyReview).WithName("WriteMyReview")
            .WithSummary("Write or edit the signed-in customer's review (1-5 stars, title, body): only after an order with the product was delivered");
        api.MapPost("/{id:long}/helpful", MarkHelpful).WithName("MarkReviewHelpful")
            .WithSummary("Mark another customer's review helpful (counted once per customer)");

        var admin = app.MapGroup("api/admin/reviews").WithTags("Reviews").RequireAuthorization(AuthorizationPolicies.Admin);
        admin.MapGet("/", ListAllReviews).WithName("ListAllReviews")
            .WithSummary("Every review, hidden ones too, newest first, by product and hidden or not (Admin)");
        admin.MapPost("/{id:long}/hide", HideReview).WithName("HideReview")
            .WithSummary("Hide a review with a reason: it leaves the list and the average; its author sees why (Admin)");
        admin.MapPost("/{id:long}/unhide", UnhideReview).WithName("UnhideReview").WithSummary("Show a hidden review again (Admin)");
        return app;
    }

    public static async Task<Results<Ok<ReviewPage>, ValidationProblem>> ListProductReviews(
        int productId, string? sort, string? page, string? pageSize, ClaimsPrincipal user, [AsParameters] ReviewServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ReviewRules.TryParseSort(sort, out var order))
        {
            errors["sort"] = ["sort is one of newest, helpful, highest, lowest."];
        }
        var number = OrdersApi.ParseInt(page, "page", 1, 10_000, 1, errors);
        var size = OrdersApi.ParseInt(pageSize, "pageSize", 1, MaxPageSize, DefaultPageSize, errors);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await services.Store.ListAsync(productId, order, number, size, user.GetUserId(), cancellationToken));
    }

    public static async Task<Ok<MyReviewResponse>> GetMyReview(
        int productId, ClaimsPrincipal user, [AsParameters] ReviewServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Store.GetMineAsync(productId, user.GetUserId()!, cancellationToken));

    public static async Task<Results<Created<ReviewResponse>, Ok<ReviewResponse>, ValidationProblem, ProblemHttpResult>> WriteMyReview(
        int productId, ReviewInput input, ClaimsPrincipal user, [AsParameters] ReviewServices services, CancellationToken cancellationToken)
    {
        if (ReviewRules.Check(input, out var review) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var (result, written) = await services.Store.WriteAsync(productId, user.GetUserId()!, review, cancellationToken);
        if (result == ReviewWriteResult.NotEligible)
        {
            return TypedResults.Problem(ReviewStore.NotEligibleReason, statusCode: StatusCodes.Status403Forbidden, title: "Not a verified purchase");
        }
        await services.Ratings.PublishAsync(productId, cancellationToken);
        return result == ReviewWriteResult.Created
            ? TypedResults.Created($"/api/reviews/products/{productId}/mine", written!)
            : TypedResults.Ok(written!);
    }

    public static async Task<Results<Ok<HelpfulResponse>, NotFound, ProblemHttpResult>> MarkHelpful(
        long id, ClaimsPrincipal user, [AsParameters] ReviewServices services, CancellationToken cancellationToken)
    {
        var (result, answer) = await services.Store.MarkHelpfulAsync(id, user.GetUserId()!, cancellationToken);
        return result switch
        {
            HelpfulResult.Done => TypedResults.Ok(answer!),
            HelpfulResult.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Problem("Your own review cannot be marked helpful by you.", statusCode: StatusCodes.Status403Forbidden, title: "Your own review"),
        };
    }

    public static async Task<Results<Ok<AdminReviewPage>, ValidationProblem>> ListAllReviews(
        string? productId, string? hidden, string? page, string? pageSize, [AsParameters] ReviewServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        int? product = string.IsNullOrWhiteSpace(productId) ? null : OrdersApi.ParseInt(productId, "productId", 1, int.MaxValue, 0, errors);
        bool? hiddenOnly = null;
        if (!string.IsNullOrWhiteSpace(hidden))
        {
            if (bool.TryParse(hidden.Trim(), out var parsed))
            {
                hiddenOnly = parsed;
            }
            else
            {
                errors["hidden"] = ["hidden is true or false."];
            }
        }
        var number = OrdersApi.ParseInt(page, "page", 1, 10_000, 1, errors);
        var size = OrdersApi.ParseInt(pageSize, "pageSize", 1, MaxPageSize * 2, DefaultPageSize * 2, errors);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await services.Store.ListForAdminAsync(product, hiddenOnly, null, number, size, cancellationToken));
    }

    public static async Task<Results<Ok<AdminReviewResponse>, NotFound, ValidationProblem>> HideReview(
        long id, HideReviewRequest? request, ClaimsPrincipal user, [AsParameters] ReviewServices services, CancellationToken cancellationToken)
    {
        if (ReviewRules.CheckHide(request, out var reason) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return await SetHiddenAsync(id, reason, user, services, cancellationToken);
    }

    public static Task<Results<Ok<AdminReviewResponse>, NotFound, ValidationProblem>> UnhideReview(
        long id, ClaimsPrincipal user, [AsParameters] ReviewServices services, CancellationToken cancellationToken) =>
        SetHiddenAsync(id, null, user, services, cancellationToken);

    private static async Task<Results<Ok<AdminReviewResponse>, NotFound, ValidationProblem>> SetHiddenAsync(
        long id, string? reason, ClaimsPrincipal user, ReviewServices services, CancellationToken cancellationToken)
    {
        if (await services.Store.SetHiddenAsync(id, reason, user.Identity?.Name ?? user.GetUserId() ?? "an admin", cancellationToken) is not { } review)
        {
            return TypedResults.NotFound();
        }
        await services.Ratings.PublishAsync(review.Review.ProductId, cancellationToken);
        return TypedResults.Ok(review);
    }
}
