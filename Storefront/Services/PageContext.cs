namespace Storefront.Services;

/// <summary>What the shopper is looking at in this circuit (the product page sets it), for the chat assistant's context.</summary>
public sealed class PageContext
{
    public int? ProductId { get; set; }

    public string? ProductName { get; set; }
}
