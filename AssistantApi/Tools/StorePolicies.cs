using AssistantApi.Model;

namespace AssistantApi.Tools;

/// <summary>The shop's own policy texts: what the assistant may quote about shipping, returns, payment and warranty.</summary>
public static class StorePolicies
{
    public static readonly IReadOnlyList<PolicyResult> All =
    [
        new("shipping", "Shipping",
            "Standard delivery in Germany, Austria, France, the Benelux countries and Italy takes 2 to 4 working days and costs EUR 4.95; " +
            "it is free for orders of EUR 50 or more. Express delivery (next working day when ordered before 14:00) costs EUR 9.95. " +
            "Other EU countries: 4 to 7 working days for EUR 9.95. Orders are dispatched from our warehouse on working days."),
        new("returns", "Returns and refunds",
            "You can return unused items in their original packaging within 30 days of delivery for a full refund. " +
            "Start a return from your order page; the return label is free within the EU. Refunds go back to the original " +
            "payment method within 5 working days of the parcel reaching us. Worn footwear, used swimwear and opened hygiene items cannot be returned."),
        new("payment", "Payment",
            "We accept Visa, Mastercard and American Express cards, and cash on delivery within Germany and Austria. " +
            "Card payments are taken when the order is placed; cash orders are paid to the courier. Prices include VAT and are in euros."),
        new("warranty", "Warranty",
            "Every product carries the legal two-year guarantee against manufacturing faults from the date of delivery; several of our brands add " +
            "their own longer warranty (details on the product page). Contact us with your order number and a photo of the fault and we will " +
            "repair, replace or refund the item. Normal wear and tear and damage from misuse are not covered."),
    ];

    public static readonly IReadOnlyList<string> Topics = [.. All.Select(p => p.Topic)];

    /// <summary>The policy for a topic, loosely named ("delivery" is shipping, "refund" is returns).</summary>
    public static PolicyResult? Find(string? topic)
    {
        var words = Engines.Local.Text.Tokenize(topic ?? "").Select(t => t.Stem).ToList();
        foreach (var word in words)
        {
            var found = word switch
            {
                "shipping" or "ship" or "delivery" or "deliver" or "postage" or "courier" or "dispatch" => "shipping",
                "return" or "returns" or "refund" or "exchange" or "send" => "returns",
                "payment" or "pay" or "card" or "cash" or "paypal" or "invoice" or "vat" => "payment",
                "warranty" or "guarantee" or "repair" or "broken" or "broke" or "faulty" or "defect" or "defective" or "fault" or "damaged" => "warranty",
                _ => null,
            };
            if (found is not null)
            {
                return All.First(p => p.Topic == found);
            }
        }
        return null;
    }
}
