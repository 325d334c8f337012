using System.Globalization;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Apis;

/// <summary>
/// <c>/api/sales</c>: daily units per variant for the forecaster (Admin, or a service token with <c>sales:read</c>),
/// sales analytics for admins, and the anonymous best-seller and bought-together lists the storefront shows.
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
        api.MapGet("/analytics", GetAnalytics).RequireAuthorization(AuthorizationPolicies.Admin)
            .WithName("GetSalesAnalytics")
            .WithSummary("Revenue, orders, units, customers and sales by product, category and brand over days in a time zone, against the period before (Admin)");
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

    public static async Task<Results<Ok<SalesAnalyticsResponse>, ValidationProblem>> GetAnalytics(
        string? from, string? to, string? timeZone, string? interval, SalesAnalytics analytics, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var zone = ParseTimeZone(timeZone, errors);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), zone.Info).DateTime);
        var toDate = OrdersApi.ParseDate(to, "to", errors) ?? today;
        var fromDate = OrdersApi.ParseDate(from, "from", errors) ?? toDate.AddDays(-29);
        if (errors.Count == 0 && fromDate > toDate)
        {
            errors["from"] = ["from must not be after to."];
        }
        if (errors.Count == 0 && (fromDate < EarliestDay || toDate > LatestDay))
        {
            errors[fromDate < EarliestDay ? "from" : "to"] = ["Dates must be from 1900-01-01 to 9000-12-31."];
        }
        var days = toDate.DayNumber - fromDate.DayNumber + 1;
        if (errors.Count == 0 && days > MaxDays)
        {
            errors["to"] = [$"At most {MaxDays} days at once."];
        }
        SalesInterval step = days <= 62 ? SalesInterval.Day : days <= 366 ? SalesInterval.Week : SalesInterval.Month;
        if (!string.IsNullOrWhiteSpace(interval) && !Enum.TryParse(interval.Trim(), ignoreCase: true, out step) | !Enum.IsDefined(step))
        {
            errors["interval"] = ["interval must be day, week or month."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        try
        {
            return TypedResults.Ok(await analytics.GetAsync(new SalesPeriod(fromDate, toDate, zone.Id, step), cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // A zone .NET knows and PostgreSQL's time zone database does not.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["timeZone"] = [UnknownZone] });
        }
    }

    // The analytics compare with the period before: far enough from the calendar's ends for both.
    private static readonly DateOnly EarliestDay = new(1900, 1, 1);
    private static readonly DateOnly LatestDay = new(9000, 12, 31);

    private const string UnknownZone = "timeZone must be a time zone name such as Europe/Berlin or UTC.";

    /// <summary>An IANA time zone name (a Windows one is turned into it); UTC when none is given.</summary>
    internal static (string Id, TimeZoneInfo Info) ParseTimeZone(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ("UTC", TimeZoneInfo.Utc);
        }
        var id = text.Trim();
        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana))
        {
            id = iana;
        }
        if (id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var info))
        {
            return (id, info);
        }
        errors["timeZone"] = [UnknownZone];
        return ("UTC", TimeZoneInfo.Utc);
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
