using OrderingApi.Model;

namespace OrderingApi.Services;

public sealed record PaymentResult(bool Approved, string? AuthorizationId, string? DeclineReason);

/// <summary>
/// The simulated card processor: every valid card number is approved except the test card
/// <see cref="CheckoutRules.DecliningTestCard"/>, which is declined. An authorization can be voided (when the order
/// cannot be completed after all). Nothing is charged anywhere: this stands where a payment provider would.
/// </summary>
public sealed partial class PaymentGateway(ILogger<PaymentGateway> logger)
{
    public PaymentResult Authorize(string cardNumber, decimal amount, string reference)
    {
        if (cardNumber == CheckoutRules.DecliningTestCard)
        {
            LogDeclined(reference, amount);
            return new PaymentResult(false, null, "The card was declined.");
        }
        var authorization = "auth_" + Guid.NewGuid().ToString("N")[..16];
        LogAuthorized(reference, amount, authorization);
        return new PaymentResult(true, authorization, null);
    }

    public void Void(string authorizationId, string reference) => LogVoided(reference, authorizationId);

    [LoggerMessage(LogLevel.Debug, "Payment for {Reference} of {Amount} authorized ({AuthorizationId})")]
    private partial void LogAuthorized(string reference, decimal amount, string authorizationId);

    [LoggerMessage(LogLevel.Information, "Payment for {Reference} of {Amount} declined")]
    private partial void LogDeclined(string reference, decimal amount);

    [LoggerMessage(LogLevel.Information, "Payment authorization {AuthorizationId} for {Reference} voided")]
    private partial void LogVoided(string reference, string authorizationId);
}
