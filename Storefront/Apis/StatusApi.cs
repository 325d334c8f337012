using Microsoft.AspNetCore.Http.HttpResults;
using Storefront.Services;

namespace Storefront.Apis;

public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", GetSystemStatus)
            .WithName("GetSystemStatus")
            .WithSummary("Calls /alive of each backend service by its service name and reports reachability and latency.")
            .AllowAnonymous();

        return app;
    }

    public static async Task<Ok<SystemStatus>> GetSystemStatus(ServiceStatusChecker checker, CancellationToken cancellationToken) =>
        TypedResults.Ok(await checker.CheckAsync(cancellationToken));
}
