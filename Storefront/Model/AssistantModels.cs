using System.Text.Json;

namespace Storefront.Model;

// AssistantApi's chat (contracts: issue 7).

public sealed record ChatContext(int? ProductId);

public sealed record ChatRequest(string? ConversationId, string Message, ChatContext? Context);

public sealed record ToolCall(string Name, JsonElement? Arguments, bool Succeeded);

public sealed record ProductCard(int ProductId, string Slug, string Name, decimal Price, string? ImageUrl, int? VariantId, int? Available);

public sealed record ChatResponse(
    string ConversationId, string Reply, IReadOnlyList<ToolCall>? ToolCalls, IReadOnlyList<string>? Suggestions, IReadOnlyList<ProductCard>? Products);
