using Storefront.Model;

namespace Storefront.Services;

/// <summary>
/// The cart as this circuit last saw it: the header's item count, the cart page and the chat panel's add-to-cart
/// share it, and every change of the cart goes through here so they all update together.
/// </summary>
public sealed class CartState(OrderingClient ordering)
{
    /// <summary>What the shopper reads when the cart cannot be reached (OrderingApi or its Redis cart store down).</summary>
    public const string UnavailableMessage = "Your cart cannot be reached right now, so nothing was added. Please try again in a moment.";

    public Cart? Cart { get; private set; }

    public int ItemCount => Cart?.ItemCount ?? 0;

    public event Action? Changed;

    public async Task<ApiResult<Cart>> LoadAsync(CancellationToken cancellationToken = default) => Apply(await ordering.GetCartAsync(cancellationToken));

    public async Task<ApiResult<Cart>> AddAsync(int variantId, int quantity) => Apply(await ordering.AddToCartAsync(variantId, quantity));

    public async Task<ApiResult<Cart>> SetQuantityAsync(int variantId, int quantity) => Apply(await ordering.SetQuantityAsync(variantId, quantity));

    public async Task<ApiResult<Cart>> RemoveAsync(int variantId) => Apply(await ordering.RemoveFromCartAsync(variantId));

    /// <summary>After checkout the cart is empty.</summary>
    public void Clear()
    {
        Cart = Cart.Empty;
        Changed?.Invoke();
    }

    private ApiResult<Cart> Apply(ApiResult<Cart> result)
    {
        if (result is { Ok: true, Value: { } cart })
        {
            Cart = cart;
            Changed?.Invoke();
        }
        return result;
    }
}
