using System.Globalization;
using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using ForecastWorker.Infrastructure;
using ForecastWorker.Model;
using ForecastWorker.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ForecastWorker.Apis;

/// <summary>The forecast handlers' dependencies, injected as one parameter.</summary>
public sealed record ForecastServices(ForecastQueries Queries, ForecastStore Store, ForecastScheduler Scheduler, IOptions<ForecastingSettings> Options);

/// <summary>
/// <c>/api/forecasts</c>: forecasts for admins (and the assistant acting for one, or a service granted
/// <see cref="ReadScope"/>), runs and reorder suggestions for admins, and the restock estimate for anyone.
/// </summary>
public static class ForecastApi
{
    /// <summary>The scope a service token needs to read forecasts.</summary>
    public const string ReadScope = "forecasts:read";

    public const int DefaultHorizon = 28;
    public const int DefaultHistory = 90;
    public const int MaxSuggestions = 1000;

    public static IEndpointRouteBuilder MapForecastApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/forecasts").WithTags("Forecasts");

        api.MapGet("/variants/{variantId:int}", GetVariantForecast)
            .WithName("GetVariantForecast")
            .WithSummary("A variant's daily forecast (mean, 80% and 95% intervals) and recent sales, from the latest complete run")
            .RequireAuthorization(AuthorizationPolicies.AdminOrScope(ReadScope));
        api.MapGet("/products/{productId:int}", GetProductForecast)
            .WithName("GetProductForecast")
            .WithSummary("A product's daily forecast: its variants' forecasts summed")
            .RequireAuthorization(AuthorizationPolicies.AdminOrScope(ReadScope));
        api.MapGet("/variants/{variantId:int}/restock-estimate", GetRestockEstimate)
            .WithName("GetRestockEstimate")
            .WithSummary("When a sold-out variant is expected back, from its lead time and the reorder policy")
            .AllowAnonymous();
        api.MapGet("/reorder-suggestions", GetReorderSuggestions)
            .WithName("GetReorderSuggestions")
            .WithSummary("Reorder point, days of cover, projected stock-out and order quantity per variant, most urgent first (Admin)")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapGet("/runs/latest", GetLatestRun)
            .WithName("GetLatestRun")
            .WithSummary("The latest complete run, with per-model wins and accuracy (Admin)")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapGet("/runs/{id:long}", GetRun)
            .WithName("GetRun")
            .WithSummary("A run in any state (Admin)")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPost("/runs", StartRun)
            .WithName("StartRun")
            .WithSummary("Ask for a run now; answers the run already waiting or running, if any (Admin)")
            .RequireAuthorization(AuthorizationPolicies.Admin);

        return app;
    }

    public static Task<Results<Ok<ForecastResponse>, ProblemHttpResult, ValidationProblem>> GetVariantForecast(
        int variantId, string? horizon, string? history, [AsParameters] ForecastServices services, CancellationToken cancellationToken) =>
        ServeForecastAsync(horizon, history, services.Options.Value, $"variant {variantId}",
            (days, historyDays) => services.Queries.GetVariantForecastAsync(variantId, days, historyDays, cancellationToken));

    public static Task<Results<Ok<ForecastResponse>, ProblemHttpResult, ValidationProblem>> GetProductForecast(
        int productId, string? horizon, string? history, [AsParameters] ForecastServices services, CancellationToken cancellationToken) =>
        ServeForecastAsync(horizon, history, services.Options.Value, $"product {productId}",
            (days, historyDays) => services.Queries.GetProductForecastAsync(productId, days, historyDays, cancellationToken));

    /// <summary>Checks the horizon and history days asked for, then answers the forecast <paramref name="read"/> finds, or 404.</summary>
    private static async Task<Results<Ok<ForecastResponse>, ProblemHttpResult, ValidationProblem>> ServeForecastAsync(
        string? horizon, string? history, ForecastingSettings settings, string what, Func<int, int, Task<ForecastResponse?>> read)
    {
        var errors = new Dictionary<string, string[]>();
        var days = ParseInt(horizon, "horizon", 1, settings.Horizon, Math.Min(DefaultHorizon, settings.Horizon), errors);
        var historyDays = ParseInt(history, "history", 0, settings.HistoryDays, Math.Min(DefaultHistory, settings.HistoryDays), errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return await read(days, historyDays) is { } forecast
            ? TypedResults.Ok(forecast)
            : NotFound($"No forecast for {what} in the latest complete run.");
    }

    public static async Task<Results<Ok<RestockEstimateResponse>, ProblemHttpResult>> GetRestockEstimate(
        int variantId, [AsParameters] ForecastServices services, CancellationToken cancellationToken)
    {
        try
        {
            return await services.Queries.GetRestockEstimateAsync(variantId, cancellationToken) is { } estimate
                ? TypedResults.Ok(estimate)
                : NotFound($"Variant {variantId} does not exist.");
        }
        catch (Exception e) when (IsCatalogFailure(e))
        {
            return CatalogUnavailable();
        }
    }

    public static async Task<Results<Ok<ReorderSuggestions>, ValidationProblem, ProblemHttpResult>> GetReorderSuggestions(
        string? limit, string? serviceLevel, [AsParameters] ForecastServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var count = ParseInt(limit, "limit", 1, MaxSuggestions, 50, errors);
        var level = services.Options.Value.Reorder.ServiceLevel;
        if (!string.IsNullOrWhiteSpace(serviceLevel)
            && (!double.TryParse(serviceLevel, NumberStyles.Float, CultureInfo.InvariantCulture, out level) || !(level >= 0.5 && level <= 0.999)))
        {
            errors["serviceLevel"] = ["serviceLevel must be a number from 0.5 to 0.999 (e.g. 0.95)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        try
        {
            return await services.Queries.GetReorderSuggestionsAsync(count, level, cancellationToken) is { } suggestions
                ? TypedResults.Ok(suggestions)
                : NotFound("No forecast run has completed yet.");
        }
        catch (Exception e) when (IsCatalogFailure(e))
        {
            return CatalogUnavailable();
        }
    }

    public static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> GetLatestRun([AsParameters] ForecastServices services, CancellationToken cancellationToken) =>
        await services.Queries.GetRunAsync(null, cancellationToken) is { } run ? TypedResults.Ok(run) : NotFound("No forecast run has completed yet.");

    public static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> GetRun(long id, [AsParameters] ForecastServices services, CancellationToken cancellationToken) =>
        await services.Queries.GetRunAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run) : NotFound($"No forecast run {id}.");

    public static async Task<AcceptedAtRoute<RunAccepted>> StartRun(ClaimsPrincipal user, [AsParameters] ForecastServices services, CancellationToken cancellationToken)
    {
        var (run, _) = await services.Store.QueueRunAsync("manual", user.GetUserId(), services.Options.Value.Horizon, cancellationToken);
        services.Scheduler.Wake();
        return TypedResults.AcceptedAtRoute(new RunAccepted(run.Id, run.Status), "GetRun", new { id = run.Id });
    }

    private static int ParseInt(string? text, string field, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [$"{field} must be a whole number from {min} to {max}."];
            return fallback;
        }
        return value;
    }

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>catalog-api down, refusing, or too slow (the resilience pipeline's time-outs and open circuit).</summary>
    private static bool IsCatalogFailure(Exception e) => e is HttpRequestException or Polly.ExecutionRejectedException;

    private static ProblemHttpResult CatalogUnavailable() => TypedResults.Problem(
        "The catalog's stock levels could not be read; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stock unavailable");
}
