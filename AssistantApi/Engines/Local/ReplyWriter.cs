using System.Globalization;
using System.Text;
using AssistantApi.Model;

namespace AssistantApi.Engines.Local;

/// <summary>
/// Turns tool results into replies. Every number and name comes from a result; the wording varies (picked by a
/// per-turn seed) so the assistant does not sound like a form letter.
/// </summary>
public sealed class ReplyWriter(int seed)
{
    private int _picks;

    public static string Money(decimal amount, string currency = "EUR") =>
        (currency == "EUR" ? "€" : currency + " ") + amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Range(decimal from, decimal to) => from == to ? Money(from) : $"{Money(from)}–{Money(to)}";

    /// <summary>One of the phrasings, varying from turn to turn.</summary>
    public string Pick(params string[] options) => options[(int)((uint)(seed + 31 * _picks++) % options.Length)];

    /// <summary>The shopper named a product we do not have: say so, and offer the real names that look most like it.</summary>
    public string NotFound(string name, SearchResult result)
    {
        var text = new StringBuilder(Pick($"I couldn't find a product called \"{name}\" in our shop.", $"We don't have a product called \"{name}\", I'm afraid."));
        var closest = result.Closest ?? [];
        if (closest.Count == 0)
        {
            return text.Append(" Tell me what you need it for and I'll look for something similar.").ToString();
        }
        text.Append(closest.Count == 1 ? " The closest name we have is:" : " The closest names we have are:").AppendLine();
        var number = 1;
        foreach (var p in closest)
        {
            text.AppendLine($"{number++}. **{p.Name}** ({p.Brand}, {p.Category}) – {Range(p.PriceFrom, p.PriceTo)}{(p.InStock ? "" : " – sold out")}");
        }
        return text.Append(Pick("Is one of these what you meant?", "Did you mean one of these?")).ToString();
    }

    /// <summary>Wishes the catalog cannot filter on, said plainly.</summary>
    public static string NotApplied(IReadOnlyList<string>? unsupported) =>
        unsupported is not { Count: > 0 } ? ""
        : $"(I can't filter by {string.Join(" or ", unsupported)}, so the results below do not take that into account: check each product's details.) ";

    /// <summary>Two or three products side by side, from their details: which is cheaper, and what each costs and has in stock.</summary>
    public string Compare(IReadOnlyList<ProductDetails> products)
    {
        if (products.Count < 2)
        {
            return products.Count == 1 ? Details(products[0]) : "I couldn't look those products up, sorry.";
        }
        var text = new StringBuilder();
        var byPrice = products.OrderBy(p => p.PriceFrom).ToList();
        if (byPrice[0].PriceFrom == byPrice[^1].PriceFrom)
        {
            text.Append($"They cost the same: {string.Join(" and ", products.Select(p => $"the **{p.Name}**"))} are {Money(byPrice[0].PriceFrom)}. ");
        }
        else
        {
            text.Append($"The **{byPrice[0].Name}** is the cheaper one at {Range(byPrice[0].PriceFrom, byPrice[0].PriceTo)}, against "
                + string.Join(" and ", byPrice.Skip(1).Select(p => $"{Range(p.PriceFrom, p.PriceTo)} for the **{p.Name}**")) + ". ");
        }
        text.AppendLine();
        foreach (var p in products)
        {
            var options = string.Join("; ", p.Options.Select(o => $"{Plural(o.Key, o.Value.Count)} {string.Join(", ", o.Value)}"));
            text.AppendLine($"- **{p.Name}** ({p.Brand}): {Range(p.PriceFrom, p.PriceTo)}, {(p.UnitsAvailable > 0 ? $"{p.UnitsAvailable} in stock" : "sold out")}{(options.Length > 0 ? ", " + options : "")}.");
        }
        return text.ToString().TrimEnd();
    }

    public string Search(SearchResult result, IReadOnlyList<string>? unsupported = null)
    {
        if (result.Products.Count == 0)
        {
            var asked = Describe(result.Filters);
            return NotApplied(unsupported)
                + Pick($"I couldn't find any {asked}.", $"Nothing in the shop matches {asked}, I'm afraid.", $"No {asked} in the shop right now.")
                + " Try fewer words, another category, or a higher price limit.";
        }
        var text = new StringBuilder(NotApplied(unsupported));
        if (result.CorrectedQuery is not null)
        {
            text.Append($"(I searched for \"{result.CorrectedQuery}\".) ");
        }
        if (result.IgnoredWords is not null)
        {
            text.Append($"(Nothing matched \"{result.IgnoredWords}\" as well, so I left those words out.) ");
        }
        var what = Describe(result.Filters);
        text.Append(result.Total == 1 ? $"I found one {what}:"
            : result.Total <= result.Products.Count ? Pick($"I found {result.Total} {what}:", $"We have {result.Total} {what}:")
            : Pick($"I found {result.Total} {what}. Here are the top {result.Products.Count}:",
                   $"Here are {result.Products.Count} of the {result.Total} {what} we have:",
                   $"We have {result.Total} {what}; these are the first {result.Products.Count}:"));
        text.AppendLine();
        var number = 1;
        foreach (var p in result.Products)
        {
            text.AppendLine($"{number++}. **{p.Name}** ({p.Brand}) – {Range(p.PriceFrom, p.PriceTo)}{(p.InStock ? "" : " – sold out")}");
        }
        text.Append(Pick("Ask me about any of them, e.g. \"tell me about the first one\".", "Want details or stock for one of them?", "Shall I check sizes or stock for one?"));
        return text.ToString();
    }

    private static string Describe(SearchFilters f)
    {
        var noun = f.Category ?? (f.Query is null ? "products" : $"results for \"{f.Query}\"");
        var parts = new List<string>();
        if (f.Brand is not null)
        {
            noun = f.Category is null && f.Query is null ? $"{f.Brand} products" : $"{noun} from {f.Brand}";
        }
        if (f.Color is not null)
        {
            parts.Add($"in {f.Color.ToLowerInvariant()}");
        }
        if (f.Size is not null)
        {
            parts.Add($"in size {f.Size}");
        }
        if (f.MinPrice is { } min && f.MaxPrice is { } max)
        {
            parts.Add($"between {Money(min)} and {Money(max)}");
        }
        else if (f.MaxPrice is { } maxOnly)
        {
            parts.Add($"under {Money(maxOnly)}");
        }
        else if (f.MinPrice is { } minOnly)
        {
            parts.Add($"over {Money(minOnly)}");
        }
        var sorted = f.Sort switch
        {
            "price-asc" => ", cheapest first",
            "price-desc" => ", most expensive first",
            "newest" => ", newest first",
            "best-selling" => ", best sellers first",
            _ => "",
        };
        return noun + (parts.Count > 0 ? " " + string.Join(" ", parts) : "") + sorted;
    }

    public string Details(ProductDetails p)
    {
        var text = new StringBuilder();
        text.Append($"**{p.Name}** by {p.Brand} ({p.Category}) costs {Range(p.PriceFrom, p.PriceTo)}. ");
        var firstSentence = p.Description.Split(". ", 2)[0].TrimEnd('.');
        if (firstSentence.Length is > 0 and < 300)
        {
            text.Append(firstSentence).Append(". ");
        }
        foreach (var (name, values) in p.Options)
        {
            text.Append($"{Pick("It comes in", "Available")} {values.Count} {Plural(name, values.Count)}: {string.Join(", ", values)}. ");
        }
        text.Append(p.UnitsAvailable > 0
            ? Pick($"{p.UnitsAvailable} in stock across all variants.", $"There are {p.UnitsAvailable} in stock in total.")
            : "It is sold out at the moment.");
        return text.ToString().Trim();
    }

    private static string Plural(string option, int count)
    {
        var lower = option.ToLowerInvariant();
        if (count == 1)
        {
            return lower;
        }
        return lower switch { "colour" => "colours", "size" => "sizes", "length" => "lengths", "capacity" => "capacities", _ => lower + " options" };
    }

    public string Availability(AvailabilityResult a)
    {
        var asked = string.Join(" ", new[] { a.Color?.ToLowerInvariant(), a.Size is null ? null : "size " + a.Size }.OfType<string>());
        var what = asked.Length == 0 ? $"the {a.Name}" : $"the {a.Name} in {asked}";
        if (a.Matching.Count == 0)
        {
            // The note already lists what the product does come in.
            return a.Note ?? $"I couldn't find {what}.";
        }
        if (a.Available)
        {
            var price = a.Matching.Where(m => m.Available > 0).Min(m => m.Price);
            var sizes = asked.Length > 0 && a.Size is null && a.Matching.Count > 1
                ? $" Sizes in stock: {string.Join(", ", a.Matching.Where(m => m.Available > 0).Select(m => m.Options.GetValueOrDefault("Size")).OfType<string>().Distinct())}."
                : "";
            if (asked.Length == 0 && (a.InStockSizes.Count > 1 || a.InStockColors.Count > 1))
            {
                // Nothing particular asked: say which options are there to have.
                sizes = (a.InStockSizes.Count > 0 ? $" Sizes in stock: {string.Join(", ", a.InStockSizes)}." : "")
                    + (a.InStockColors.Count > 0 ? $" Colours in stock: {string.Join(", ", a.InStockColors)}." : "");
            }
            return Pick($"Yes, {what} is in stock: {a.UnitsAvailable} available, {Money(price)}.",
                        $"Good news: {what} is available ({a.UnitsAvailable} in stock) at {Money(price)}.",
                        $"Yes! We have {a.UnitsAvailable} of {what} in stock, priced {Money(price)}.") + sizes
                + (a.Matching.Count == 1 ? " " + Pick("Shall I add it to your cart?", "Want me to add one to your cart?") : "");
        }
        var alternatives = a.InStockColors.Count > 0 ? $" Colours in stock: {string.Join(", ", a.InStockColors)}." : "";
        if (a.InStockSizes.Count > 0)
        {
            alternatives += $" Sizes in stock: {string.Join(", ", a.InStockSizes)}.";
        }
        return $"Sorry, {what} is sold out right now.{alternatives} I can check when it's expected back if you like.";
    }

    public string Cart(CartResult cart)
    {
        if (cart.Added is { } added)
        {
            return Pick($"Done! I added {added.Quantity} × {added.ProductName}{Options(added.Options)} to your cart.",
                        $"Added {added.Quantity} × {added.ProductName}{Options(added.Options)} to your cart.",
                        $"{added.Quantity} × {added.ProductName}{Options(added.Options)} is in your cart now.")
                + $" Your cart has {cart.ItemCount} item{(cart.ItemCount == 1 ? "" : "s")}, total {Money(cart.Total, cart.Currency)}.";
        }
        if (cart.Items.Count == 0)
        {
            return "Your cart is empty. " + Pick("Looking for something in particular?", "Tell me what you need and I'll find it.");
        }
        var text = new StringBuilder($"Your cart ({cart.ItemCount} item{(cart.ItemCount == 1 ? "" : "s")}):\n");
        foreach (var item in cart.Items)
        {
            text.AppendLine($"- {item.Quantity} × {item.ProductName}{Options(item.Options)} – {Money(item.LineTotal, cart.Currency)}");
        }
        text.Append($"Total: {Money(cart.Total, cart.Currency)}. Say \"check out\" when you're ready.");
        return text.ToString();
    }

    private static string Options(string options) => string.IsNullOrEmpty(options) ? "" : $" ({options})";

    public string PlaceOrder(PlaceOrderResult result)
    {
        if (result.Status == "placed" && result.Order is { } order)
        {
            return $"Your order **{order.Number}** is placed: {result.ItemCount} item{(result.ItemCount == 1 ? "" : "s")}, {Money(order.Total, order.Currency)}, "
                + $"cash on delivery to {result.ShipTo}. Its status is {order.Status}.";
        }
        return $"Your cart has {result.ItemCount} item{(result.ItemCount == 1 ? "" : "s")} for {Money(result.Total, result.Currency)}, "
            + $"to be delivered to {result.ShipTo} and paid in cash on delivery. Shall I place the order? Please answer **yes** to confirm.";
    }

    public string Order(OrderSummary o, bool cancelled = false)
    {
        if (cancelled)
        {
            return $"Order {o.Number} is cancelled now. " + Pick("Any stock it held goes back on the shelf.", "You won't be charged for it.");
        }
        var status = o.Status switch
        {
            "Submitted" => "has been received and is waiting for payment on delivery",
            "Paid" => "is paid and being prepared for shipping",
            "Shipped" => "has shipped and is on its way",
            "Delivered" => "has been delivered",
            "Cancelled" => "was cancelled",
            _ => "is " + o.Status.ToLowerInvariant(),
        };
        return $"Order **{o.Number}** (placed {o.CreatedAt}) {status}. "
            + $"It has {o.ItemCount} item{(o.ItemCount == 1 ? "" : "s")}: {string.Join("; ", o.Items)}. Total {Money(o.Total, o.Currency)}."
            + (o.LastChange is null ? "" : $" Last update: {o.LastChange}.");
    }

    public string Orders(OrderList list)
    {
        if (list.Orders.Count == 0)
        {
            return "You have no orders yet.";
        }
        var text = new StringBuilder(list.Total > list.Orders.Count
            ? $"Your {list.Orders.Count} most recent orders (of {list.Total}):\n"
            : $"Your orders:\n");
        foreach (var o in list.Orders)
        {
            text.AppendLine($"- **{o.Number}** ({o.CreatedAt}): {o.Status}, {o.ItemCount} item{(o.ItemCount == 1 ? "" : "s")}, {Money(o.Total, o.Currency)}");
        }
        text.Append("Ask me about any of them by number.");
        return text.ToString();
    }

    public string Restock(RestockResult r)
    {
        if (r.Note is not null)
        {
            return r.Note;
        }
        if (!r.AnySoldOut)
        {
            return $"Good news: the {r.Name} is in stock right now, nothing to wait for.";
        }
        var text = new StringBuilder($"Restock estimates for the {r.Name}:\n");
        foreach (var item in r.Items)
        {
            var when = item.ExpectedDate is not null
                ? $"expected around {item.ExpectedDate}{(item.ExpectedInDays is { } days ? $" (in about {days} day{(days == 1 ? "" : "s")})" : "")}"
                : "no restock date yet";
            text.AppendLine($"- {(item.Options.Length > 0 ? item.Options : "this item")}: {when}");
        }
        return text.ToString().TrimEnd();
    }

    public string Policy(PolicyResult p) => $"**{p.Title}**: {p.Text}";

    public string Recommendations(RecommendationResult r)
    {
        if (r.Products.Count == 0)
        {
            return $"I don't have enough order history to say what goes with the {r.Name} yet.";
        }
        var text = new StringBuilder(Pick($"Customers who bought the {r.Name} also bought:", $"Often bought together with the {r.Name}:"));
        text.AppendLine();
        foreach (var p in r.Products)
        {
            text.AppendLine($"- **{p.Name}** – {Range(p.PriceFrom, p.PriceTo)}{(p.InStock ? "" : " (sold out)")}");
        }
        return text.ToString().TrimEnd();
    }

    public string Reviews(ReviewsResult r)
    {
        if (r.Count == 0 || r.Average is not { } average)
        {
            return $"Nobody has reviewed the {r.Name} yet.";
        }
        var text = new StringBuilder($"The {r.Name} is rated **{average.ToString("0.0", CultureInfo.InvariantCulture)} out of 5** from {r.Count} {(r.Count == 1 ? "review" : "reviews")}");
        if (r.Stars.Count == 5 && r.Count > 1)
        {
            var top = r.Stars[4] + r.Stars[3];
            text.Append($" ({top} of {r.Count} gave 4 or 5 stars)");
        }
        text.Append(". ").Append(Pick("Here is what customers say:", "What people say:", "Some of what reviewers wrote:")).AppendLine();
        foreach (var q in r.Quotes)
        {
            text.AppendLine($"- {q.Rating}★ “{q.Text}” – {q.Author}");
        }
        return text.ToString().TrimEnd();
    }

    public string Forecast(ForecastResult f) =>
        $"Over the next {f.HorizonDays} days we expect to sell about {f.ExpectedUnits.ToString("0", CultureInfo.InvariantCulture)} units of the {f.Name} "
        + $"(80% interval {f.Lower80.ToString("0", CultureInfo.InvariantCulture)}–{f.Upper80.ToString("0", CultureInfo.InvariantCulture)})"
        + (f.Model is null ? "." : $", model: {f.Model}.") + (f.Note is null ? "" : $" Note: {f.Note.TrimEnd('.')}.");

    public string Reorder(ReorderResult r)
    {
        if (r.Items.Count == 0)
        {
            return "Nothing needs reordering right now.";
        }
        var text = new StringBuilder("Reorder suggestions, most urgent first:\n");
        foreach (var i in r.Items)
        {
            text.AppendLine($"- {i.ProductName}{Options(i.Options)} ({i.Sku}): order {i.SuggestedQuantity}; {i.Available} available"
                + (i.DaysOfCover is { } cover ? $", {cover.ToString("0.#", CultureInfo.InvariantCulture)} days of cover" : "")
                + (i.StockoutDate is null ? "" : $", runs out around {i.StockoutDate}"));
        }
        return text.ToString().TrimEnd();
    }
}
