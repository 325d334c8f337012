namespace AssistantApi.Model;

/// <summary>Who is talking to the assistant, from the validated bearer token (never from the message).</summary>
public enum CallerKind
{
    Anonymous,
    Customer,
    Admin,
}

/// <summary>A product mentioned in the conversation, as a tool reported it.</summary>
public sealed record ProductRef(int ProductId, string Name);

/// <summary>A checkout the assistant proposed and the user has not confirmed yet.</summary>
public sealed record PendingOrder(string Id, int ItemCount, decimal Total, DateTimeOffset ProposedAt);

/// <summary>One user or assistant message kept for context.</summary>
public sealed record StoredMessage(string Role, string Text);

/// <summary>
/// A conversation as kept in Redis between turns: who owns it, the recent messages, and what is being talked about
/// (the product, the chosen options, the last search results, a checkout waiting for a yes, the orders mentioned).
/// </summary>
public sealed class Conversation
{
    public const int MaxStoredMessages = 20;

    public required string Id { get; init; }

    /// <summary>The user id of the owner; null while the conversation is anonymous.</summary>
    public string? OwnerId { get; set; }

    public int Turns { get; set; }

    public List<StoredMessage> Messages { get; set; } = [];

    public ProductRef? Product { get; set; }

    public int? VariantId { get; set; }

    public string? Color { get; set; }

    public string? Size { get; set; }

    public List<ProductRef> LastResults { get; set; } = [];

    /// <summary>The filters of the last search, so "show me the cheapest" can refine it.</summary>
    public SearchFilters? LastSearch { get; set; }

    public PendingOrder? PendingOrder { get; set; }

    public List<string> Orders { get; set; } = [];

    public string? LastIntent { get; set; }

    public void Add(string role, string text)
    {
        Messages.Add(new StoredMessage(role, text));
        if (Messages.Count > MaxStoredMessages)
        {
            Messages.RemoveRange(0, Messages.Count - MaxStoredMessages);
        }
    }

    public void RememberOrder(string number)
    {
        Orders.Remove(number);
        Orders.Add(number);
        if (Orders.Count > 10)
        {
            Orders.RemoveAt(0);
        }
    }
}
