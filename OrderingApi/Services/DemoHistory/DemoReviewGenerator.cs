namespace OrderingApi.Services.DemoHistory;

/// <summary>A demo customer's received product: their first delivery of it.</summary>
public sealed record DemoPurchase(string CustomerId, int ProductId, string ProductName, DateTimeOffset DeliveredAt);

public sealed record DemoReview(string CustomerId, int ProductId, int Rating, string Title, string Body, DateTimeOffset CreatedAt, int HelpfulCount);

/// <summary>
/// Plausible reviews of the demo history's delivered products, the same for the same inputs. Each product has a quality
/// (most are good, a few are poor); a buyer's stars scatter around it; unhappy buyers write a little more often, and
/// about one delivery in six is reviewed, one to three weeks after it arrived (none after <c>asOf</c>). Title and text
/// come from phrases written for that many stars and name the kind of product ("tent"); some reviews have no text.
/// Helpful votes follow a long tail, longer texts collecting more.
/// </summary>
public static class DemoReviewGenerator
{
    private static readonly string[][] Titles =
    [
        ["Would not buy again", "Poor quality", "Sent it back", "Fell apart", "Waste of money", "Very disappointing {noun}"],
        ["Disappointed", "Not as described", "Expected better", "Wore out too soon", "Below par", "Not worth the price"],
        ["Decent but nothing special", "Does the job", "Mixed feelings", "OK for the price", "Average {noun}, nothing more", "Fine for occasional use"],
        ["Very good {noun}", "Solid choice", "Happy with it", "Great, with one small gripe", "Good value", "Recommended"],
        ["Exactly what I hoped for", "Superb {noun}", "Worth every cent", "Best {noun} I have owned", "Brilliant out on the trail", "Five stars, no doubts"],
    ];

    private static readonly string[][] Sentences =
    [
        [
            "It broke on the first trip.", "The {aspect} failed within a week.", "Poor quality, whatever the label says.",
            "I sent it back for a refund.", "Nothing about it feels finished.", "It looks nothing like the pictures once you use it.",
        ],
        [
            "The {aspect} started to give up after a few outings.", "The fit is off and it is uncomfortable for long days.",
            "The quality does not match the price.", "It works, just about, but I would not rely on it.", "I expected far more from this brand.",
        ],
        [
            "It works, but nothing stands out.", "Fine for occasional use.", "The {aspect} is a bit disappointing.",
            "Okay for the money; I expected a little more.", "Neither great nor bad, it simply does what it says.",
        ],
        [
            "It does everything I need, though the {aspect} could be better.", "Well made and comfortable after a few uses.",
            "Good value for this quality.", "Took it out several weekends in a row and it held up well.",
            "Only a small niggle with the {aspect}; otherwise excellent.",
        ],
        [
            "Used it on a week-long trip and it performed flawlessly.", "The quality is obvious the moment you unpack it.",
            "Fits perfectly and feels built to last.", "Light, well made and great value.", "I would happily buy the same again.",
            "Friends keep asking where I got it.",
        ],
    ];

    private static readonly string[] Aspects = ["zip", "stitching", "sizing", "colour", "packed size", "weight", "finish", "buckle", "seams", "fabric"];

    /// <param name="purchases">Each customer's received products, one per customer and product, in any order.</param>
    public static List<DemoReview> Generate(IEnumerable<DemoPurchase> purchases, int seed, DateTimeOffset asOf)
    {
        var reviews = new List<DemoReview>();
        var ordered = purchases.OrderBy(p => p.ProductId).ThenBy(p => p.CustomerId, StringComparer.Ordinal);
        foreach (var product in ordered.GroupBy(p => p.ProductId))
        {
            // One stream per product: its quality and its buyers' reviews do not depend on the other products.
            var random = new Random(unchecked(seed * 7919 + product.Key));
            var quality = random.NextDouble() < 0.12 ? 2.2 + random.NextDouble() * 1.2 : 3.6 + random.NextDouble() * 1.3;
            foreach (var purchase in product)
            {
                var rating = Math.Clamp((int)Math.Round(quality + DemoHistoryGenerator.Gaussian(random) * 0.9), 1, 5);
                var writes = random.NextDouble() < (rating <= 2 ? 0.24 : rating == 5 ? 0.17 : 0.13);
                var createdAt = purchase.DeliveredAt.AddDays(1 + random.Next(21)).AddMinutes(random.Next(24 * 60));
                if (!writes || createdAt > asOf)
                {
                    continue;
                }
                var noun = Noun(purchase.ProductName);
                var title = Fill(Pick(random, Titles[rating - 1]), noun, random);
                var body = random.NextDouble() < 0.15
                    ? ""
                    : string.Join(' ', Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Pick(random, Sentences[rating - 1])).Distinct()
                        .Select(s => Fill(s, noun, random)));
                var helpful = Math.Max(0, (int)Math.Floor(Math.Exp(DemoHistoryGenerator.Gaussian(random) * 1.1 + (body.Length > 120 ? 0.6 : 0))) - 1);
                reviews.Add(new DemoReview(purchase.CustomerId, purchase.ProductId, rating, title, body, createdAt, helpful));
            }
        }
        return reviews;
    }

    /// <summary>The kind of product, from the last word of its name that is a word ("Quartz 3 Dome Tent": tent); phrases use it where a plural reads as well ("Superb socks").</summary>
    public static string Noun(string productName)
    {
        var word = productName.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(w => w.Length > 2 && w.All(char.IsLetter));
        return word?.ToLowerInvariant() ?? "product";
    }

    private static string Fill(string phrase, string noun, Random random) =>
        phrase.Replace("{noun}", noun, StringComparison.Ordinal).Replace("{aspect}", Pick(random, Aspects), StringComparison.Ordinal);

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
