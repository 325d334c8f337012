using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ECommerce.ServiceDefaults.ErrorHandling;

internal static class ProblemDetailsExtensions
{
    /// <summary>
    /// RFC 7807 problem details for errors, each carrying the trace id (to find the request in the
    /// dashboard) and the request it answers.
    /// </summary>
    public static IServiceCollection AddServiceDefaultsProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Instance ??= http.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
        });
}
