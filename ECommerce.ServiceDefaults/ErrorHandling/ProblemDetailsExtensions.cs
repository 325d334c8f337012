using System.Diagnostics;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ECommerce.ServiceDefaults.ErrorHandling;

internal static class ProblemDetailsExtensions
{
    /// <summary>
    /// RFC 7807 problem details for errors, each carrying the trace id (to find the request in the
    /// dashboard) and the request it answers.
    /// </summary>
    public static IServiceCollection AddServiceDefaultsProblemDetails(this IServiceCollection services)
    {
        // Minimal APIs throw on bad input (malformed JSON, a missing body) in Development, and the
        // developer exception page then echoes the request, bearer token included. A bad request is
        // the caller's mistake, not a crash: answer 400 with problem details in every environment.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        return services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Instance ??= http.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
        });
    }
}
