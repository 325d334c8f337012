using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ECommerce.ServiceDefaults.ErrorHandling;

/// <summary>
/// Input an endpoint could not bind (a body that is not JSON, a number sent as text, no body at all) answers 400 with
/// problem details that say what was wrong, and name the field when the JSON says which. Minimal APIs throw
/// <see cref="BadHttpRequestException"/> for these (<c>RouteHandlerOptions.ThrowOnBadRequest</c>). Before the endpoint
/// runs it also refuses a body in another charset than UTF-8 (415) and query or route values with text that cannot be
/// stored (<see cref="StorableText"/>, 400 naming the parameter).
/// </summary>
internal sealed class BadRequestProblems(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (UnsupportedCharset(context.Request) is { } charset)
        {
            await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, null,
                $"The body's charset '{charset}' is not supported: send JSON as UTF-8.", null);
            return;
        }
        if (UnstorableValue(context) is { } bad)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "Bad Request", $"'{bad.Name}' {bad.Problem}.", bad.Name);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            var (detail, field) = Describe(e);
            await WriteAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status400BadRequest ? "Bad Request" : null, detail, field, e);
        }
    }

    private Task WriteAsync(HttpContext context, int status, string? title, string detail, string? field, Exception? exception = null)
    {
        context.Response.StatusCode = status;
        var problem = field is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails()
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] });
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }).AsTask();
    }

    /// <summary>The charset of a request body that is not UTF-8 (JSON is UTF-8), or null (UTF-8 in any spelling is made the plain one).</summary>
    internal static string? UnsupportedCharset(HttpRequest request)
    {
        if (request.ContentType is not { } contentType || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }
        var charset = mediaType.Charset;
        if (!charset.HasValue)
        {
            return null;
        }
        var name = HeaderUtilities.RemoveQuotes(charset).ToString();
        if (!name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !name.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return name[..Math.Min(name.Length, 40)];
        }
        if (!charset.Equals("utf-8"))
        {
            // UTF-8 spelled another way ("UTF8", quoted): the framework's reader knows only the plain name. JSON is
            // UTF-8 without a charset too, so the parameter is dropped.
            mediaType.Charset = null;
            request.ContentType = mediaType.ToString();
        }
        return null;
    }

    /// <summary>The first query or route value whose text cannot be stored, and why.</summary>
    internal static (string Name, string Problem)? UnstorableValue(HttpContext context)
    {
        foreach (var (name, values) in context.Request.Query)
        {
            if (StorableText.Problem(name) is { } nameProblem)
            {
                return ("query", $"has a parameter name that {nameProblem}");
            }
            foreach (var value in values)
            {
                if (value is not null && StorableText.Problem(value) is { } problem)
                {
                    return (name, problem);
                }
            }
        }
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && StorableText.Problem(text) is { } problem)
            {
                return (name, problem);
            }
        }
        return null;
    }

    /// <summary>What the caller sent wrong, and the body's field when the JSON says which.</summary>
    internal static (string Detail, string? Field) Describe(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            if (json.Message.StartsWith(StorableTextConverter.MessagePrefix, StringComparison.Ordinal))
            {
                var problem = json.Message[StorableTextConverter.MessagePrefix.Length..];
                return (field is null ? $"The request body {problem}." : $"The request body's '{field}' {problem}.", field ?? "body");
            }
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
