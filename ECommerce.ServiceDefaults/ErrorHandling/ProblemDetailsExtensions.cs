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
        // Minimal APIs throw on bad input (malformed JSON, a missing body), and BadRequestProblems
        // (inside the developer exception page, which would echo the request, bearer token included)
        // answers 400 with problem details saying what was wrong, in every environment.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Instance ??= http.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
        });
    }
}
