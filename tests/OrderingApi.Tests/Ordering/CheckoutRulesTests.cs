using OrderingApi.Model;

namespace OrderingApi.Tests.Ordering;

public sealed class CheckoutRulesTests
{
    private static readonly AddressInput Home = new("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB");
    private static readonly Address ProfileHome = new("Ada Lovelace", "1 Profile Street", null, "Oxford", "OX1", "GB");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100)]
    [InlineData(int.MaxValue)]
    public void Adding_a_quantity_outside_1_to_99_is_refused(int quantity)
    {
        Assert.Equal(["quantity"], CheckoutRules.CheckAdd(new AddCartItemRequest(5, quantity)).Keys);
    }

    [Fact]
    public void Adding_needs_a_variant_and_a_quantity_and_setting_allows_zero()
    {
        Assert.Equal(["variantId", "quantity"], CheckoutRules.CheckAdd(new AddCartItemRequest(null, null)).Keys);
        Assert.Empty(CheckoutRules.CheckAdd(new AddCartItemRequest(5, 99)));
        Assert.Empty(CheckoutRules.CheckSet(new SetCartItemRequest(0)));
        Assert.Equal(["quantity"], CheckoutRules.CheckSet(new SetCartItemRequest(-1)).Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("line\nbreak")]
    public void An_idempotency_key_is_required_and_plain(string? key)
    {
        Assert.NotNull(CheckoutRules.CheckIdempotencyKey(key));
        Assert.NotNull(CheckoutRules.CheckIdempotencyKey(new string('k', 101)));
        Assert.Null(CheckoutRules.CheckIdempotencyKey(Guid.NewGuid().ToString()));
    }

    [Fact]
    public void Addresses_default_to_the_profile_and_billing_to_shipping()
    {
        var errors = CheckoutRules.CheckCheckout(new CheckoutRequest(null, null, "cash", null), ProfileHome, null, out var shipping, out var billing, out var method, out _);
        Assert.Empty(errors);
        Assert.Equal((ProfileHome, ProfileHome, PaymentMethod.Cash), (shipping, billing, method));

        CheckoutRules.CheckCheckout(new CheckoutRequest(Home, null, "card", "4242 4242 4242 4242"), ProfileHome, ProfileHome, out shipping, out billing, out method, out var card);
        Assert.Equal("London", shipping!.City);
        Assert.Equal("London", billing!.City); // the given shipping address, not the profile's billing address
        Assert.Equal((PaymentMethod.Card, "4242424242424242"), (method, card));
    }

    [Fact]
    public void A_checkout_without_an_address_anywhere_or_with_bad_fields_is_refused_per_field()
    {
        var errors = CheckoutRules.CheckCheckout(new CheckoutRequest(null, Home with { City = null }, "bitcoin", null), null, null, out _, out _, out _, out _);

        Assert.Equal(["billingAddress.city", "shippingAddress", "paymentMethod"], errors.Keys.Order().OrderBy(k => k.StartsWith("payment", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("4242424242424242", true)]
    [InlineData("4000000000000002", true)]
    [InlineData("4242424242424241", false)]
    [InlineData("42424242", false)]
    [InlineData("4242-abcd-4242-4242", false)]
    public void Card_numbers_are_checked_with_luhn(string number, bool valid)
    {
        Assert.Equal(valid, CheckoutRules.IsCardNumber(number));
        var errors = CheckoutRules.CheckCheckout(new CheckoutRequest(Home, null, "card", number), null, null, out _, out _, out _, out _);
        Assert.Equal(valid, !errors.ContainsKey("cardNumber"));
    }
}
