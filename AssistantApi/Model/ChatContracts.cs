using System.Text.Json.Serialization;

namespace AssistantApi.Model;

/// <summary><c>POST /api/assistant/chat</c>: one user message, in a new or an existing conversation.</summary>
public sealed record ChatRequest(string? ConversationId, string? Message, ChatRequestContext? Context);

/// <summary>What the storefront knows about the page the shopper is on.</summary>
public sealed record ChatRequestContext(int? ProductId);

public sealed record ToolCallInfo(string Name, IReadOnlyDictionary<string, object?> Arguments, bool Succeeded);

/// <summary>A product the storefront can show as a card under the reply.</summary>
public sealed record ProductCard(
    int ProductId, string Slug, string Name, decimal Price, string ImageUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? VariantId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Available);

public sealed record ChatAnswer(
    string ConversationId,
    string Reply,
    IReadOnlyList<ToolCallInfo> ToolCalls,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Suggestions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProductCard>? Products);
