using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ECommerce.ServiceDefaults.ErrorHandling;

/// <summary>
/// Input an endpoint could not bind (a body that is not JSON, a number sent as text, no body at all) answers 400 with
/// problem details that say what was wrong, and name the field when the JSON says which. Minimal APIs throw
/// <see cref="BadHttpRequestException"/> for these (<c>RouteHandlerOptions.ThrowOnBadRequest</c>); this middleware sits
/// inside the developer exception page, so the exception never reaches it (that page echoes the request, bearer
/// token included).
/// </summary>
internal sealed class BadRequestProblems(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = e.StatusCode;
            var (detail, field) = Describe(e);
            var problem = field is null
                ? new Microsoft.AspNetCore.Mvc.ProblemDetails()
                : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = ["Not a value of this field's type (text for a number, or a number too large?)."] });
            problem.Status = e.StatusCode;
            problem.Title = e.StatusCode == StatusCodes.Status400BadRequest ? "Bad Request" : null;
            problem.Detail = detail;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = e });
        }
    }

    /// <summary>What the caller sent wrong, and the body's field when the JSON says which.</summary>
    internal static (string Detail, string? Field) Describe(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            return field is null
                ? ("The request body is not valid JSON, or not the JSON object this request takes.", null)
                : ($"The request body's '{field}' is not a value of its type.", field);
        }
        var message = exception.Message;
        if (message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return ("The request needs a JSON body.", null);
        }
        if (message.StartsWith("Expected a supported JSON media type", StringComparison.Ordinal))
        {
            return ("Send the body as JSON (Content-Type: application/json).", null);
        }
        // The rest name the parameter and the value that did not fit ('Failed to bind parameter "int page" from "x".').
        return exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? ("The request body is too large.", null) : (message, null);
    }
}
