using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace ECommerce.ServiceDefaults.ErrorHandling;

/// <summary>
/// The developer exception page (which WebApplication adds by itself in Development) would answer with the exception,
/// its stack trace and every request header, bearer token included. This filter takes its place: it answers as the
/// exception handler does in any environment (a 503 or 400 where <see cref="UnavailableProblems"/> knows the cause,
/// else a 500 with no details). The exception is still logged, with its stack trace, by the page.
/// </summary>
internal sealed class DeveloperPageProblems(UnavailableProblems known, IProblemDetailsService problems) : IDeveloperPageExceptionFilter
{
    public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        var context = errorContext.HttpContext;
        if (await known.TryHandleAsync(context, errorContext.Exception, context.RequestAborted))
        {
            return;
        }
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = Message,
            },
        });
        if (!written)
        {
            // A caller that takes no JSON (a browser asking for HTML) gets the same words as text.
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Message, context.RequestAborted);
        }
    }

    private const string Message = "An error occurred while processing your request.";
}
