using System.Security.Cryptography;
using System.Text;
using OrderingApi.Model;

namespace OrderingApi.Services.DemoHistory;

/// <summary>A variant of the catalog as the demo history needs it; <paramref name="Categories"/> runs from the leaf to the root.</summary>
public sealed record DemoVariant(
    int VariantId, int ProductId, string Sku, string ProductName, IReadOnlyDictionary<string, string> Options, decimal Price,
    IReadOnlyList<string> Categories);

public sealed record DemoCustomer(string Id, string Email, string Name, DateTimeOffset CreatedAt, Address Address);

public sealed record DemoLine(int Variant, int Quantity, decimal UnitPrice);

/// <summary>A generated order: <see cref="Status"/> follows its times (Delivered, or Shipped/Paid when recent; some Cancelled).</summary>
public sealed record DemoOrder(
    int Customer, DateTimeOffset CreatedAt, bool Card, OrderStatus Status, DemoLine[] Lines,
    DateTimeOffset PaidAt, DateTimeOffset ShippedAt, DateTimeOffset DeliveredAt)
{
    public decimal Total => Lines.Sum(l => l.UnitPrice * l.Quantity);
}

public sealed record GeneratedHistory(IReadOnlyList<DemoCustomer> Customers, IReadOnlyList<DemoOrder> Orders, DateOnly FirstDay, DateOnly LastDay);

/// <summary>
/// Two years of plausible orders over a catalog, the same for the same inputs (one seeded <see cref="Random"/>, used
/// in a fixed order). Demand per variant and day = product popularity x the category's yearly season (winter gear peaks
/// in January, water sports in July, ...) x a weekly pattern x a trend per category and a shop-wide growth x promotions
/// (shop-wide sales such as Black Friday, and per-product promotions at a lower price), and nothing during a variant's
/// stock-outs. Orders per day follow the shop's growth and calendar; customers are drawn with a long tail (a few buy
/// often, most once or twice); a second or third line often comes from the same category; some lines have quantity above one.
/// </summary>
public static class DemoHistoryGenerator
{
    public const string EmailDomain = "demo.summit-outfitters.example";

    /// <summary>Yearly season per category (peak day of the year, strength 0..1); the first match from the leaf up counts.</summary>
    private static readonly Dictionary<string, (int Peak, double Strength)> Seasons = new()
    {
        ["winter-sports"] = (15, 0.95),
        ["insulated-jackets"] = (5, 0.8),
        ["hats-gloves"] = (355, 0.8),
        ["base-layers"] = (15, 0.6),
        ["fleece-midlayers"] = (330, 0.5),
        ["water-sports"] = (196, 0.9),
        ["swimwear"] = (190, 0.9),
        ["sandals"] = (185, 0.85),
        ["cycling"] = (160, 0.6),
        ["sleeping-bags"] = (200, 0.5),
        ["camping-hiking"] = (190, 0.55),
        ["hiking-boots"] = (120, 0.35),
        ["trail-running-shoes"] = (130, 0.3),
        ["rain-jackets"] = (290, 0.45),
        ["fitness"] = (10, 0.35),
        ["team-sports"] = (250, 0.3),
        ["climbing"] = (150, 0.3),
    };

    /// <summary>Small things people buy several of.</summary>
    private static readonly HashSet<string> Multiples = ["socks", "hydration", "climbing-hardware", "bike-accessories", "camp-kitchen", "headlamps-lanterns", "weights"];

    // Monday .. Sunday: weekends sell more; fitness starts the week.
    private static readonly double[] Weekly = [1.0, 0.95, 0.95, 1.0, 1.05, 1.25, 1.2];
    private static readonly double[] FitnessWeekly = [1.35, 1.1, 1.0, 0.95, 0.9, 0.85, 1.0];

    // Hour of the day an order is placed (UTC): quiet nights, busy evenings.
    private static readonly double[] Hours = Cumulative([0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.4, 1.5, 1.5, 1.7, 1.6, 1.5, 1.5, 1.6, 1.8, 2.1, 2.4, 2.5, 2.2, 1.5, 0.8]);

    private static readonly string[] FirstNames = ["Alex", "Sam", "Maria", "Jonas", "Ingrid", "Lukas", "Emma", "Noah", "Sofia", "Elias", "Nora", "Liam", "Olivia", "Mateo", "Freya", "Hugo", "Ida", "Oskar", "Chloe", "Leon", "Mia", "Finn", "Ava", "Theo", "Lina", "Erik", "Zoe", "Nils", "Clara", "Jakob"];
    private static readonly string[] LastNames = ["Walker", "Berg", "Muller", "Rossi", "Hansen", "Dubois", "Novak", "Larsen", "Schmidt", "Garcia", "Nielsen", "Moreau", "Fischer", "Lindqvist", "Kowalski", "Jansen", "Weber", "Costa", "Eriksen", "Martin"];
    private static readonly (string City, string Country, string Postal)[] Places =
    [
        ("Oslo", "Norway", "0150"), ("Bergen", "Norway", "5003"), ("Stockholm", "Sweden", "111 20"), ("Copenhagen", "Denmark", "1050"),
        ("Berlin", "Germany", "10115"), ("Munich", "Germany", "80331"), ("Vienna", "Austria", "1010"), ("Zurich", "Switzerland", "8001"),
        ("Lyon", "France", "69001"), ("Amsterdam", "Netherlands", "1012"), ("Milan", "Italy", "20121"), ("Innsbruck", "Austria", "6020"),
    ];
    private static readonly string[] Streets = ["Fjord Road", "Pine Street", "Summit Lane", "River Walk", "Birch Avenue", "Harbour Street", "Glacier Way", "Meadow Road"];

    public static GeneratedHistory Generate(
        IReadOnlyList<DemoVariant> variants, int seed, int customerCount, double ordersPerDay, DateOnly firstDay, DateOnly lastDay, DateTimeOffset asOf)
    {
        ArgumentOutOfRangeException.ThrowIfZero(variants.Count);
        var random = new Random(seed);
        var days = lastDay.DayNumber - firstDay.DayNumber + 1;

        // Per product: popularity (long tail), and now and then a promotion; per variant: a weight within its product
        // (middle sizes sell best) and stock-out windows.
        var products = variants.Select(v => v.ProductId).Distinct().Order().ToList();
        var popularity = products.ToDictionary(p => p, _ => Math.Exp(Gaussian(random) * 0.9));
        var promotions = products.ToDictionary(p => p, _ => Promotions(random, days));
        var topCategories = variants.Select(Top).Distinct().Order(StringComparer.Ordinal).ToList();
        var trend = topCategories.ToDictionary(c => c, _ => -0.15 + random.NextDouble() * 0.5, StringComparer.Ordinal);
        var weights = new double[variants.Count];
        var stockOuts = new List<(int From, int To)>[variants.Count];
        var seasons = new (int Peak, double Strength)[variants.Count];
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            weights[i] = popularity[v.ProductId] * VariantShare(v) * (0.6 + random.NextDouble() * 0.8);
            stockOuts[i] = StockOuts(random, days);
            seasons[i] = v.Categories.Select(c => Seasons.TryGetValue(c, out var s) ? s : ((int, double)?)null).FirstOrDefault(s => s is not null) ?? (0, 0);
        }

        // Customers: a long tail of activity (rank^-0.8), in a shuffled order so ids say nothing.
        var customerWeights = Enumerable.Range(0, customerCount).Select(i => Math.Pow(i + 1, -0.8)).ToArray();
        Shuffle(random, customerWeights);
        var customerCumulative = Cumulative(customerWeights);
        var firstOrder = new DateTimeOffset?[customerCount];

        // What a variant's daily weight needs, looked up once: the day loop below runs days x variants times (460 million
        // at 100,000 products). Its season and growth are the same for every variant of a season or top category on a day.
        var variantPromotions = variants.Select(v => promotions[v.ProductId]).ToArray();
        var fitness = variants.Select(v => Top(v) == "fitness").ToArray();
        var distinctSeasons = seasons.Distinct().ToArray();
        var seasonOf = Array.ConvertAll(seasons, s => Array.IndexOf(distinctSeasons, s));
        var topOf = variants.Select(v => topCategories.BinarySearch(Top(v), StringComparer.Ordinal)).ToArray();
        var seasonToday = new double[distinctSeasons.Length];
        var growthToday = new double[topCategories.Count];

        var orders = new List<DemoOrder>((int)(ordersPerDay * days * 1.4));
        var dayWeights = new double[variants.Count];
        var cumulative = new double[variants.Count];
        for (var d = 0; d < days; d++)
        {
            var date = firstDay.AddDays(d);
            var years = d / 365.0;
            var dayOfYear = date.DayOfYear;
            var dow = ((int)date.DayOfWeek + 6) % 7;
            for (var s = 0; s < distinctSeasons.Length; s++)
            {
                var (peak, strength) = distinctSeasons[s];
                seasonToday[s] = 1 + strength * Math.Cos(2 * Math.PI * (dayOfYear - peak) / 365.25);
            }
            for (var c = 0; c < topCategories.Count; c++)
            {
                growthToday[c] = Math.Max(0.2, 1 + trend[topCategories[c]] * years);
            }
            for (var i = 0; i < variants.Count; i++)
            {
                var promo = During(variantPromotions[i], d) ? 3.0 : 1.0;
                var week = fitness[i] ? FitnessWeekly[dow] : Weekly[dow];
                dayWeights[i] = During(stockOuts[i], d) ? 0 : weights[i] * seasonToday[seasonOf[i]] * week * promo * growthToday[topOf[i]];
            }
            Accumulate(dayWeights, cumulative);
            if (cumulative[^1] <= 0)
            {
                continue;
            }

            var expected = ordersPerDay * (1 + 0.3 * years) * Weekly[dow] * ShopWideEvent(date);
            var count = Math.Max(0, (int)Math.Round(expected + Math.Sqrt(expected) * Gaussian(random)));
            for (var o = 0; o < count; o++)
            {
                var customer = Pick(random, customerCumulative);
                var createdAt = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                    .AddHours(Pick(random, Hours)).AddSeconds(random.Next(3600));
                var lines = new List<DemoLine>();
                var first = Pick(random, cumulative);
                lines.Add(Line(random, variants[first], first, d, promotions));
                // Further lines: often from the same category (bought together), never the same variant twice.
                while (lines.Count < 5 && random.NextDouble() < (lines.Count == 1 ? 0.35 : 0.3))
                {
                    var next = Pick(random, cumulative);
                    for (var attempt = 0; attempt < 8 && Top(variants[next]) != Top(variants[first]) && random.NextDouble() < 0.6; attempt++)
                    {
                        next = Pick(random, cumulative);
                    }
                    if (lines.All(l => l.Variant != next))
                    {
                        lines.Add(Line(random, variants[next], next, d, promotions));
                    }
                }
                var card = random.NextDouble() < 0.78;
                var cancelled = random.NextDouble() < 0.03;
                var paidAt = card ? createdAt.AddSeconds(random.Next(2, 20)) : createdAt;
                var shippedAt = new DateTimeOffset(createdAt.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 + random.Next(2)).AddHours(9 + random.Next(8));
                var deliveredAt = shippedAt.AddDays(1 + random.Next(4)).AddHours(random.Next(-3, 4));
                var status = cancelled ? OrderStatus.Cancelled
                    : deliveredAt <= asOf ? OrderStatus.Delivered
                    : shippedAt <= asOf ? OrderStatus.Shipped
                    : card ? OrderStatus.Paid : OrderStatus.Submitted;
                orders.Add(new DemoOrder(customer, createdAt, card, status, [.. lines], paidAt, shippedAt, deliveredAt));
                firstOrder[customer] ??= createdAt;
            }
        }

        var customers = new List<DemoCustomer>(customerCount);
        for (var i = 0; i < customerCount; i++)
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var place = Places[random.Next(Places.Length)];
            var joined = (firstOrder[i] ?? new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(random.Next(days)))
                .AddDays(-random.Next(0, 60)).AddMinutes(-random.Next(1, 600));
            var name = $"{first} {last}";
            customers.Add(new DemoCustomer(
                new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"demo-customer:{seed}:{i}"))).ToString(),
                $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}.{i + 1}@{EmailDomain}",
                name, joined,
                new Address(name, $"{random.Next(1, 120)} {Streets[random.Next(Streets.Length)]}", null, place.City, place.Postal, place.Country)));
        }
        return new GeneratedHistory(customers, orders, firstDay, lastDay);
    }

    private static DemoLine Line(Random random, DemoVariant variant, int index, int day, Dictionary<int, List<(int From, int To)>> promotions)
    {
        var roll = random.NextDouble();
        var quantity = Multiples.Overlaps(variant.Categories)
            ? roll switch { < 0.55 => 1, < 0.8 => 2, < 0.92 => 3, _ => 4 + random.Next(3) }
            : roll switch { < 0.86 => 1, < 0.97 => 2, _ => 3 };
        // A promotion is a lower price as well as more demand.
        var onPromotion = During(promotions[variant.ProductId], day);
        return new DemoLine(index, quantity, onPromotion ? Math.Round(variant.Price * 0.8m, 2) : variant.Price);
    }

    /// <summary>Shop-wide calendar: Black Friday to Cyber Monday, the Christmas run-up, January and summer sales.</summary>
    public static double ShopWideEvent(DateOnly date)
    {
        var blackFriday = new DateOnly(date.Year, 11, 1);
        while (blackFriday.DayOfWeek != DayOfWeek.Thursday)
        {
            blackFriday = blackFriday.AddDays(1);
        }
        blackFriday = blackFriday.AddDays(22); // the day after the fourth Thursday
        return date switch
        {
            _ when date >= blackFriday && date <= blackFriday.AddDays(3) => 2.4,
            { Month: 12, Day: >= 1 and <= 20 } => 1.35,
            { Month: 12, Day: >= 24 and <= 26 } => 0.5,
            { Month: 1, Day: >= 2 and <= 15 } => 1.3,
            { Month: 7, Day: >= 1 and <= 14 } => 1.4,
            _ => 1.0,
        };
    }

    private static string Top(DemoVariant variant) => variant.Categories.Count > 0 ? variant.Categories[^1] : "";

    /// <summary>Middle sizes sell best; other options share evenly.</summary>
    private static double VariantShare(DemoVariant variant) =>
        variant.Options.TryGetValue("Size", out var size)
            ? size switch { "M" or "L" => 1.6, "S" or "XL" => 1.0, "XS" or "XXL" => 0.5, _ => 1.0 }
            : 1.0;

    /// <summary>About one promotion of 7-14 days per product per year, for a third of the products.</summary>
    private static List<(int From, int To)> Promotions(Random random, int days)
    {
        var windows = new List<(int, int)>();
        if (random.NextDouble() < 0.35)
        {
            for (var start = random.Next(60); start < days; start += 250 + random.Next(200))
            {
                windows.Add((start, start + 7 + random.Next(8)));
            }
        }
        return windows;
    }

    /// <summary>0 to 3 stock-outs of 4-30 days per variant.</summary>
    private static List<(int From, int To)> StockOuts(Random random, int days)
    {
        var windows = new List<(int, int)>();
        var count = random.NextDouble() switch { < 0.45 => 0, < 0.8 => 1, < 0.95 => 2, _ => 3 };
        for (var i = 0; i < count; i++)
        {
            var start = random.Next(days);
            windows.Add((start, start + 4 + random.Next(27)));
        }
        return windows;
    }

    private static double[] Cumulative(double[] weights)
    {
        var cumulative = new double[weights.Length];
        Accumulate(weights, cumulative);
        return cumulative;
    }

    private static void Accumulate(double[] weights, double[] cumulative)
    {
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            cumulative[i] = sum;
        }
    }

    /// <summary>Whether <paramref name="day"/> falls in one of the windows (both ends included).</summary>
    private static bool During(List<(int From, int To)> windows, int day)
    {
        foreach (var (from, to) in windows)
        {
            if (day >= from && day <= to)
            {
                return true;
            }
        }
        return false;
    }

    private static int Pick(Random random, double[] cumulative)
    {
        var target = random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, target);
        index = index < 0 ? ~index : index;
        // Skip zero-weight entries (equal cumulative values) to the first one with weight.
        while (index < cumulative.Length - 1 && (index == 0 ? cumulative[0] : cumulative[index] - cumulative[index - 1]) <= 0)
        {
            index++;
        }
        return Math.Min(index, cumulative.Length - 1);
    }

    private static void Shuffle(Random random, double[] values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
