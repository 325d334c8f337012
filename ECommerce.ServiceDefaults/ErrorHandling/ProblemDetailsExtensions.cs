using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ECommerce.ServiceDefaults.ErrorHandling;

internal static class ProblemDetailsExtensions
{
    /// <summary>
    /// RFC 7807 problem details for errors, each carrying the trace id (to find the request in the dashboard) and the
    /// request it answers, and never an exception's message, a stack trace or a request header, in any environment.
    /// </summary>
    public static IServiceCollection AddServiceDefaultsProblemDetails(this IServiceCollection services)
    {
        // Minimal APIs throw on bad input (malformed JSON, a missing body), and BadRequestProblems answers 400 with
        // problem details saying what was wrong. Text PostgreSQL cannot store is refused in every JSON body.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new StorableTextConverter()));

        // A server that is down answers 503 with Retry-After; the developer exception page never renders.
        services.TryAddSingleton<UnavailableProblems>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, UnavailableProblems>(
            provider => provider.GetRequiredService<UnavailableProblems>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeveloperPageExceptionFilter, DeveloperPageProblems>());

        return services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Instance ??= http.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
        });
    }
}
