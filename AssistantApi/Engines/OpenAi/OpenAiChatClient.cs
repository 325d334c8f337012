using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;

namespace AssistantApi.Engines.OpenAi;

/// <summary>
/// <c>ConnectionStrings:chat</c> = <c>Endpoint=https://...;Key=...;Model=...</c>: any OpenAI-compatible server
/// (OpenAI, Azure OpenAI's v1 endpoint, Ollama, vLLM, llama.cpp server).
/// </summary>
public sealed record OpenAiSettings(Uri Endpoint, string Key, string Model)
{
    public static OpenAiSettings Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException("ConnectionStrings:chat needs Endpoint=<absolute URL>.");
        }
        if (!parts.TryGetValue("Model", out var model) || model.Length == 0)
        {
            throw new InvalidOperationException("ConnectionStrings:chat needs Model=<model name>.");
        }
        // Local servers (Ollama, llama.cpp) take any key.
        return new OpenAiSettings(uri, parts.GetValueOrDefault("Key") is { Length: > 0 } key ? key : "none", model);
    }
}

/// <summary>Our <see cref="IChatClient"/> over the OpenAI package's <see cref="ChatClient"/> (the adapter package is not installable here).</summary>
public sealed class OpenAiChatClient(OpenAiSettings settings) : IChatClient
{
    private readonly ChatClient _client = new(settings.Model, new ApiKeyCredential(settings.Key), new OpenAIClientOptions { Endpoint = settings.Endpoint });
    private readonly ChatClientMetadata _metadata = new("openai", settings.Endpoint, settings.Model);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var completion = (await _client.CompleteChatAsync(ToOpenAi(messages), ToOpenAi(options), cancellationToken)).Value;
        var contents = new List<AIContent>();
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }
        foreach (var call in completion.ToolCalls)
        {
            contents.Add(ToFunctionCall(call.Id, call.FunctionName, call.FunctionArguments.ToString()));
        }
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, contents)) { ModelId = settings.Model };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AiChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Tool calls arrive in pieces (id and name first, arguments in fragments), keyed by their index.
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        await foreach (var update in _client.CompleteChatStreamingAsync(ToOpenAi(messages), ToOpenAi(options), cancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                if (!string.IsNullOrEmpty(part.Text))
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, part.Text) { ModelId = settings.Model };
                }
            }
            foreach (var toolCall in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(toolCall.Index, out var entry))
                {
                    entry = (null, null, new StringBuilder());
                }
                entry.Id ??= toolCall.ToolCallId;
                entry.Name ??= toolCall.FunctionName;
                if (toolCall.FunctionArgumentsUpdate is { } fragment && !fragment.ToMemory().IsEmpty)
                {
                    entry.Arguments.Append(fragment.ToString());
                }
                calls[toolCall.Index] = entry;
            }
        }
        if (calls.Count > 0)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant,
                [.. calls.Values.Select(c => (AIContent)ToFunctionCall(c.Id ?? $"call_{Guid.NewGuid():N}", c.Name ?? "", c.Arguments.ToString()))])
            {
                ModelId = settings.Model,
            };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>A tool call with its JSON arguments parsed; arguments that are not a JSON object are passed on as an error.</summary>
    private static FunctionCallContent ToFunctionCall(string id, string name, string json)
    {
        try
        {
            var arguments = string.IsNullOrWhiteSpace(json)
                ? new Dictionary<string, object?>()
                : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)?.ToDictionary(p => p.Key, p => (object?)p.Value) ?? [];
            return new FunctionCallContent(id, name, arguments);
        }
        catch (JsonException ex)
        {
            return new FunctionCallContent(id, name) { Exception = ex };
        }
    }

    private static ChatCompletionOptions ToOpenAi(ChatOptions? options)
    {
        var result = new ChatCompletionOptions();
        if (options?.Temperature is { } temperature)
        {
            result.Temperature = temperature;
        }
        if (options?.MaxOutputTokens is { } max)
        {
            result.MaxOutputTokenCount = max;
        }
        foreach (var function in options?.Tools?.OfType<AIFunctionDeclaration>() ?? [])
        {
            result.Tools.Add(ChatTool.CreateFunctionTool(function.Name, function.Description,
                BinaryData.FromString(function.JsonSchema.GetRawText())));
        }
        if (result.Tools.Count > 0)
        {
            result.AllowParallelToolCalls = options?.AllowMultipleToolCalls ?? true;
        }
        return result;
    }

    private static List<OpenAiChatMessage> ToOpenAi(IEnumerable<AiChatMessage> messages)
    {
        var result = new List<OpenAiChatMessage>();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                result.Add(new SystemChatMessage(message.Text));
            }
            else if (message.Role == ChatRole.User)
            {
                result.Add(new UserChatMessage(message.Text));
            }
            else if (message.Role == ChatRole.Tool)
            {
                foreach (var toolResult in message.Contents.OfType<FunctionResultContent>())
                {
                    var content = toolResult.Result switch
                    {
                        JsonElement json => json.GetRawText(),
                        string s => s,
                        null => "null",
                        var other => JsonSerializer.Serialize(other),
                    };
                    result.Add(new ToolChatMessage(toolResult.CallId, content));
                }
            }
            else
            {
                var calls = message.Contents.OfType<FunctionCallContent>()
                    .Select(c => ChatToolCall.CreateFunctionToolCall(c.CallId, c.Name, BinaryData.FromString(JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()))))
                    .ToList();
                if (calls.Count > 0)
                {
                    var assistant = new AssistantChatMessage(calls);
                    if (message.Text is { Length: > 0 } text)
                    {
                        assistant.Content.Add(ChatMessageContentPart.CreateTextPart(text));
                    }
                    result.Add(assistant);
                }
                else
                {
                    result.Add(new AssistantChatMessage(message.Text));
                }
            }
        }
        return result;
    }
}
