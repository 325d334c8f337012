using System.ComponentModel;
using AssistantApi.Model;
using AssistantApi.Tools;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

/// <summary>
/// The signed-in customer's cart and orders: only registered for a signed-in caller, and every call runs with their own
/// token, so another customer's order is simply "not found". An order is placed only after a yes to the same summary.
/// </summary>
public sealed class CartAndOrdersPlugin(TurnContext turn, OrderingClient ordering)
{
    [KernelFunction("add_to_cart"), Description("Add a product variant (one size/colour combination) to the user's cart. Use get_product_details first to find the variantId.")]
    public async Task<CartResult> AddToCartAsync(
        [Description("The variant's id (one size/colour of a product, from get_product_details)")] int variantId,
        [Description("How many, 1 to 99")] int quantity = 1,
        CancellationToken cancellationToken = default)
    {
        if (quantity is < 1 or > 99)
        {
            throw new ToolException("The quantity must be between 1 and 99.");
        }
        var cart = await ordering.AddToCartAsync(variantId, quantity, cancellationToken);
        turn.Conversation.VariantId = variantId;
        var result = ToolShapes.Summarize(cart);
        var added = result.Items.FirstOrDefault(i => i.VariantId == variantId);
        return result with { Added = added is null ? null : added with { Quantity = quantity } };
    }

    [KernelFunction("view_cart"), Description("The items in the user's cart and its total.")]
    public async Task<CartResult> ViewCartAsync(CancellationToken cancellationToken = default) =>
        ToolShapes.Summarize(await ordering.GetCartAsync(cancellationToken));

    [KernelFunction("place_order"), Description("Check out the user's cart (cash on delivery to their saved address). The first call only returns a summary to show the user; call it again only after the user has explicitly confirmed with yes.")]
    public async Task<PlaceOrderResult> PlaceOrderAsync(CancellationToken cancellationToken = default)
    {
        var conversation = turn.Conversation;
        var cart = await ordering.GetCartAsync(cancellationToken);
        if (cart.Lines.Count == 0)
        {
            conversation.PendingOrder = null;
            throw new ToolException("Your cart is empty, so there is nothing to order yet.");
        }
        var profile = await ordering.GetProfileAsync(cancellationToken);
        if (profile.DefaultShippingAddress is not { } address)
        {
            throw new ToolException("There is no saved delivery address in your profile; add one on your account page, or check out from the cart page.");
        }
        var shipTo = $"{address.FullName}, {address.Line1}, {address.PostalCode} {address.City}, {address.Country}";
        var currency = cart.Currency ?? "EUR";

        // The order is placed only when the user said yes to this very summary (same items, same total) in this message.
        var pending = conversation.PendingOrder;
        if (pending is null || !turn.UserConfirmed || pending.Total != cart.Total || pending.ItemCount != cart.ItemCount)
        {
            conversation.PendingOrder = new PendingOrder(Guid.NewGuid().ToString("N"), cart.ItemCount, cart.Total, DateTimeOffset.UtcNow);
            return new PlaceOrderResult("confirmation_required",
                "Show the user this summary and ask them to confirm with yes before the order is placed.",
                cart.ItemCount, cart.Total, currency, shipTo, null);
        }
        var order = await ordering.PlaceOrderAsync(address, "assistant-" + pending.Id, cancellationToken);
        conversation.PendingOrder = null;
        conversation.RememberOrder(order.Number);
        return new PlaceOrderResult("placed", "The order was placed.", cart.ItemCount, order.Total, order.Currency ?? currency, shipTo, ToolShapes.Summarize(order));
    }

    [KernelFunction("get_order_status"), Description("The status and contents of one of the user's orders.")]
    public async Task<OrderSummary> GetOrderStatusAsync(
        [Description("The order's number or id")] string orderId, CancellationToken cancellationToken = default)
    {
        var order = await ordering.GetOrderAsync(CleanOrderReference(orderId), cancellationToken);
        turn.Conversation.RememberOrder(order.Number);
        return ToolShapes.Summarize(order);
    }

    [KernelFunction("list_my_orders"), Description("The user's most recent orders.")]
    public async Task<OrderList> ListMyOrdersAsync(
        [Description("How many recent orders, 1 to 20")] int limit = 5, CancellationToken cancellationToken = default)
    {
        var page = await ordering.ListOrdersAsync(Math.Clamp(limit, 1, 20), cancellationToken);
        return new OrderList(page.Total, [.. page.Items.Select(ToolShapes.Summarize)]);
    }

    [KernelFunction("cancel_order"), Description("Cancel one of the user's orders (only before it ships).")]
    public async Task<OrderSummary> CancelOrderAsync(
        [Description("The order's number or id")] string orderId,
        [Description("Why, in a few words")] string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var reference = CleanOrderReference(orderId);
        // Looked up first, as the user: someone else's order is simply not found.
        var order = await ordering.GetOrderAsync(reference, cancellationToken);
        var cancelled = await ordering.CancelOrderAsync(order.Id, reference,
            string.IsNullOrWhiteSpace(reason) ? "Cancelled through the assistant" : reason.Trim()[..Math.Min(reason.Trim().Length, 200)],
            cancellationToken);
        turn.Conversation.RememberOrder(cancelled.Number);
        return ToolShapes.Summarize(cancelled);
    }


    private static string CleanOrderReference(string orderId)
    {
        var reference = orderId.Trim().TrimStart('#').Trim();
        if (reference.Length is 0 or > 40 || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ToolException("That does not look like an order number.");
        }
        return reference;
    }
}
