using System.Text.Json;
using AssistantApi.Model;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AssistantApi.Services;

public sealed class AssistantOptions
{
    public const string SectionName = "Assistant";

    /// <summary>How long a conversation is kept after its last turn.</summary>
    public TimeSpan ConversationTtl { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Longest message accepted, in characters.</summary>
    public int MaxMessageLength { get; set; } = 2_000;

    /// <summary>How long one turn may hold its conversation (a second turn meanwhile gets 409).</summary>
    public TimeSpan TurnLock { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Conversations in Redis as JSON with a sliding TTL. One turn at a time per conversation: a turn takes a short lock,
/// so two messages sent at once cannot both act on the same state (the second is told to wait).
/// </summary>
public sealed class ConversationStore(IConnectionMultiplexer redis, IOptions<AssistantOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Key(string id) => $"assistant:conversation:{id}";

    private static string LockKey(string id) => $"assistant:conversation:{id}:lock";

    /// <summary>Conversation ids are 32 lower-case hex digits (a GUID "N"), so nothing else reaches Redis keys.</summary>
    public static bool IsValidId(string id) => id.Length == 32 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string NewId() => Guid.NewGuid().ToString("N");

    public async Task<Conversation?> GetAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(id));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<Conversation>((string)value!, Json);
    }

    public Task SaveAsync(Conversation conversation) =>
        redis.GetDatabase().StringSetAsync(Key(conversation.Id), JsonSerializer.Serialize(conversation, Json), options.Value.ConversationTtl);

    /// <summary>Takes the conversation's turn lock; null when another turn holds it.</summary>
    public async Task<IAsyncDisposable?> TryLockAsync(string id)
    {
        var token = Guid.NewGuid().ToString("N");
        var database = redis.GetDatabase();
        return await database.LockTakeAsync(LockKey(id), token, options.Value.TurnLock)
            ? new TurnLock(database, LockKey(id), token)
            : null;
    }

    private sealed class TurnLock(IDatabase database, string key, string token) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.LockReleaseAsync(key, token);
    }
}
