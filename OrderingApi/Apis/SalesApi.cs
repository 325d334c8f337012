using System.Globalization;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Apis;

/// <summary>
/// <c>/api/sales</c>: daily units per variant for the forecaster (Admin, or a service token with <c>sales:read</c>),
/// and the anonymous best-seller and bought-together lists the storefront shows.
/// </summary>
public static class SalesApi
{
    public const string SalesReadScope = "sales:read";
    public const int MaxDays = 1100;

    public static IEndpointRouteBuilder MapSalesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/sales").WithTags("Sales");

        api.MapGet("/daily", GetDailySales).RequireAuthorization(AuthorizationPolicies.AdminOrScope(SalesReadScope))
            .WithName("GetDailySales").WithSummary("Units sold per variant per UTC day, zero days included (Admin or sales:read)");
        api.MapGet("/best-sellers", GetBestSellers).AllowAnonymous()
            .WithName("GetBestSellers").WithSummary("The products that sold the most units lately");
        api.MapGet("/bought-together", GetBoughtTogether).AllowAnonymous()
            .WithName("GetBoughtTogether").WithSummary("Other products found in the same orders as this one, most often first");

        return app;
    }

    public static async Task<Results<Ok<DailySalesResponse>, ValidationProblem>> GetDailySales(
        string? from, string? to, string? variantId, SalesQueries sales, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var toDate = OrdersApi.ParseDate(to, "to", errors) ?? today;
        var fromDate = OrdersApi.ParseDate(from, "from", errors) ?? toDate.AddDays(-364);
        int? variant = null;
        if (!string.IsNullOrWhiteSpace(variantId))
        {
            if (int.TryParse(variantId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                variant = parsed;
            }
            else
            {
                errors["variantId"] = ["variantId must be a positive whole number."];
            }
        }
        if (errors.Count == 0 && fromDate > toDate)
        {
            errors["from"] = ["from must not be after to."];
        }
        if (errors.Count == 0 && toDate.DayNumber - fromDate.DayNumber + 1 > MaxDays)
        {
            errors["to"] = [$"At most {MaxDays} days at once."];
        }
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await sales.DailyAsync(fromDate, toDate, variant, cancellationToken));
    }

    public static async Task<Results<Ok<BestSellersResponse>, ValidationProblem>> GetBestSellers(
        string? days, string? limit, SalesQueries sales, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var dayCount = OrdersApi.ParseInt(days, "days", 1, 730, 30, errors);
        var count = OrdersApi.ParseInt(limit, "limit", 1, 50, 8, errors);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await sales.BestSellersAsync(dayCount, count, cancellationToken));
    }

    public static async Task<Results<Ok<BoughtTogetherResponse>, ValidationProblem>> GetBoughtTogether(
        string? productId, string? limit, SalesQueries sales, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var product = OrdersApi.ParseInt(productId, "productId", 1, int.MaxValue, 0, errors);
        if (product == 0 && !errors.ContainsKey("productId"))
        {
            errors["productId"] = ["productId is required."];
        }
        var count = OrdersApi.ParseInt(limit, "limit", 1, 50, 5, errors);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await sales.BoughtTogetherAsync(product, count, cancellationToken));
    }
}
