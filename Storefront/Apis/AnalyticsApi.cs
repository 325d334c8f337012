using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Storefront.Auth;
using Storefront.Model;
using Storefront.Services;

namespace Storefront.Apis;

/// <summary><c>GET /admin/analytics.csv</c>: the sales analytics page as a CSV download (admins only).</summary>
public static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/analytics.csv", DownloadCsv)
            .WithName("DownloadSalesAnalytics")
            .WithSummary("The sales analytics of a period as CSV (Admin)")
            .RequireAuthorization(policy => policy.RequireRole(StorefrontClaims.AdminRole));
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadCsv(
        string? from, string? to, string? timeZone, string? interval, OrderingClient ordering, CancellationToken cancellationToken)
    {
        if (AnalyticsQueryText.ParseDate(from) is not { } start || AnalyticsQueryText.ParseDate(to) is not { } end)
        {
            return TypedResults.Problem("from and to must be dates as yyyy-MM-dd.", statusCode: StatusCodes.Status400BadRequest);
        }
        var result = await ordering.GetSalesAnalyticsAsync(new SalesAnalyticsQuery(start, end, timeZone ?? "UTC", interval ?? ""), cancellationToken);
        if (result is not { Ok: true, Value: { } sales })
        {
            var status = result.Unavailable ? StatusCodes.Status503ServiceUnavailable : (int?)result.Status ?? StatusCodes.Status502BadGateway;
            return TypedResults.Problem(result.AllMessages, statusCode: status is >= 400 and < 600 ? status : StatusCodes.Status502BadGateway);
        }
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(AnalyticsCsv.Write(sales))).ToArray(), "text/csv; charset=utf-8",
            AnalyticsCsv.FileName(sales));
    }
}
