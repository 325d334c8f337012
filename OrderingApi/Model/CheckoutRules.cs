namespace OrderingApi.Model;

/// <summary>The checks of cart and checkout input, in one place (pure, unit tested): errors keyed by JSON field.</summary>
public static class CheckoutRules
{
    public const int MaxLineQuantity = 99;
    public const int MaxCartLines = 50;
    public const int MaxIdempotencyKeyLength = 100;
    public const int MaxReasonLength = 500;

    /// <summary>The card number that simulates a successful payment (any other valid number works too).</summary>
    public const string SucceedingTestCard = "4242424242424242";

    /// <summary>The card number whose payment is declined.</summary>
    public const string DecliningTestCard = "4000000000000002";

    public static Dictionary<string, string[]> CheckAdd(AddCartItemRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.VariantId is not > 0)
        {
            errors["variantId"] = ["A variant id (a positive number) is required."];
        }
        CheckQuantity(request.Quantity, 1, errors);
        return errors;
    }

    public static Dictionary<string, string[]> CheckSet(SetCartItemRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        CheckQuantity(request.Quantity, 0, errors);
        return errors;
    }

    private static void CheckQuantity(int? quantity, int min, Dictionary<string, string[]> errors)
    {
        if (quantity is null || quantity < min || quantity > MaxLineQuantity)
        {
            errors["quantity"] = [$"The quantity must be from {min} to {MaxLineQuantity}."];
        }
    }

    /// <summary>Null when the key is usable, else why not.</summary>
    public static string? CheckIdempotencyKey(string? key) => key switch
    {
        null or "" => "The header Idempotency-Key is required (any unique text of 1 to 100 characters per checkout, e.g. a GUID).",
        { Length: > MaxIdempotencyKeyLength } => $"Idempotency-Key is limited to {MaxIdempotencyKeyLength} characters.",
        _ when key.Any(char.IsControl) => "Idempotency-Key must not contain control characters.",
        _ => null,
    };

    /// <summary>
    /// Normalizes and checks a checkout: addresses (the profile's when left out, billing defaults to shipping), the
    /// payment method, and for cards a plausible number (digits, Luhn). Returns the errors; on success the addresses.
    /// </summary>
    public static Dictionary<string, string[]> CheckCheckout(
        CheckoutRequest request, Address? profileShipping, Address? profileBilling,
        out Address? shipping, out Address? billing, out PaymentMethod method, out string? cardNumber)
    {
        var errors = new Dictionary<string, string[]>();
        var shippingInput = Normalize(request.ShippingAddress);
        var billingInput = Normalize(request.BillingAddress);

        // Reuse the profile's address checks: the same limits and messages.
        var addressErrors = ProfileRules.Validate(new UpdateProfileRequest(null, null, shippingInput, billingInput));
        foreach (var (field, messages) in addressErrors)
        {
            errors[field.Replace("defaultShippingAddress", "shippingAddress").Replace("defaultBillingAddress", "billingAddress")] = messages;
        }
        shipping = shippingInput?.ToAddress() ?? profileShipping;
        billing = billingInput?.ToAddress() ?? (shippingInput is not null ? shipping : profileBilling ?? profileShipping);
        if (shipping is null && !errors.Keys.Any(k => k.StartsWith("shippingAddress", StringComparison.Ordinal)))
        {
            errors["shippingAddress"] = ["A shipping address is required (your profile has none)."];
        }

        method = PaymentMethod.Card;
        cardNumber = null;
        switch (request.PaymentMethod?.Trim().ToLowerInvariant())
        {
            case "cash":
                method = PaymentMethod.Cash;
                break;
            case "card":
                cardNumber = new string((request.CardNumber ?? "").Where(c => c is not (' ' or '-')).ToArray());
                if (!IsCardNumber(cardNumber))
                {
                    errors["cardNumber"] = ["Enter a valid card number (12 to 19 digits)."];
                }
                break;
            default:
                errors["paymentMethod"] = ["paymentMethod must be \"card\" or \"cash\"."];
                break;
        }
        return errors;
    }

    /// <summary>12 to 19 digits that pass the Luhn check.</summary>
    public static bool IsCardNumber(string digits)
    {
        if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    public static Dictionary<string, string[]> CheckCancel(CancelOrderRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.Reason is { } reason && (reason.Length > MaxReasonLength || reason.Any(char.IsControl)))
        {
            errors["reason"] = [$"At most {MaxReasonLength} characters, no line breaks."];
        }
        return errors;
    }

    private static AddressInput? Normalize(AddressInput? address) =>
        ProfileRules.Normalize(new UpdateProfileRequest(null, null, address, null)).DefaultShippingAddress;
}

public enum PaymentMethod
{
    Card,
    Cash,
}
