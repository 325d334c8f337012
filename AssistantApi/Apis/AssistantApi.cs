using System.Security.Claims;
using System.Text.Json;
using AssistantApi.Model;
using AssistantApi.Services;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AssistantApi.Apis;

public sealed record AssistantServices(
    AssistantAgent Agent, ConversationStore Conversations, Tools.CatalogClient Catalog, IOptions<AssistantOptions> Options, ILogger<AssistantAgent> Logger);

/// <summary><c>/api/assistant</c>: the chat assistant. Anyone may talk to it; what it can do follows the caller's token.</summary>
public static class AssistantApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapAssistantApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/assistant").WithTags("Assistant");

        api.MapPost("/chat", Chat)
            .AllowAnonymous()
            .WithName("Chat")
            .WithSummary("One chat turn: the reply, the tools it used and product cards; streamed as server-sent events on Accept: text/event-stream");

        return app;
    }

    public static async Task<Results<Ok<ChatAnswer>, EmptyHttpResult, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> Chat(
        ChatRequest? request, ClaimsPrincipal user, HttpContext context, [AsParameters] AssistantServices services, CancellationToken cancellationToken)
    {
        var options = services.Options.Value;
        var message = request?.Message?.Trim() ?? "";
        if (message.Length == 0)
        {
            return Invalid("message", "Write a message.");
        }
        if (message.Length > options.MaxMessageLength)
        {
            return Invalid("message", $"A message can be at most {options.MaxMessageLength} characters.");
        }
        if (request!.Context?.ProductId is <= 0)
        {
            return Invalid("context.productId", "A product id is a positive number.");
        }

        var userId = user.IsService() ? null : user.GetUserId();
        var caller = userId is null ? CallerKind.Anonymous : user.IsInRole(AppRoles.Admin) ? CallerKind.Admin : CallerKind.Customer;
        var conversationId = request.ConversationId?.Trim().ToLowerInvariant();
        if (conversationId is not null && !ConversationStore.IsValidId(conversationId))
        {
            return Invalid("conversationId", "Not a conversation id: leave it out to start a new conversation.");
        }
        conversationId ??= ConversationStore.NewId();

        await using var turnLock = await services.Conversations.TryLockAsync(conversationId);
        if (turnLock is null)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The assistant is still answering the previous message in this conversation.",
            });
        }

        Conversation conversation;
        if (request.ConversationId is null)
        {
            conversation = new Conversation { Id = conversationId, OwnerId = userId };
        }
        else
        {
            // Unknown, expired, or someone else's: the same 404, so ids reveal nothing.
            var found = await services.Conversations.GetAsync(conversationId);
            if (found is null || (found.OwnerId is not null && found.OwnerId != userId))
            {
                return TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "No such conversation." });
            }
            // An anonymous shopper who signs in keeps the conversation; it is theirs from now on.
            found.OwnerId ??= userId;
            conversation = found;
        }
        if (request.Context?.ProductId is { } productId && conversation.Product?.ProductId != productId)
        {
            try
            {
                var product = await services.Catalog.GetProductAsync(productId, cancellationToken);
                conversation.Product = new ProductRef(product.Id, product.Name);
            }
            catch (Tools.ToolException)
            {
                // A page for a product that is gone: nothing to talk about.
            }
        }

        var streaming = context.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);
        if (!streaming)
        {
            var answer = await services.Agent.RunAsync(conversation, caller, message, null, cancellationToken);
            await services.Conversations.SaveAsync(conversation);
            return TypedResults.Ok(answer);
        }

        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var streamed = await services.Agent.RunAsync(conversation, caller, message, e => e switch
        {
            ToolEvent tool => WriteEventAsync(response, "tool", tool.Call, cancellationToken),
            DeltaEvent delta => WriteEventAsync(response, "delta", new { text = delta.Text }, cancellationToken),
            _ => Task.CompletedTask,
        }, cancellationToken);
        await services.Conversations.SaveAsync(conversation);
        if (streamed.Products is { Count: > 0 } cards)
        {
            await WriteEventAsync(response, "products", cards, cancellationToken);
        }
        await WriteEventAsync(response, "done", streamed, cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, object data, CancellationToken cancellationToken)
    {
        // JSON on one line: no raw newline can end the event early.
        await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
