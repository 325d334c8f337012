using System.Diagnostics;
using OrderingApi.Model;
using OrderingApi.Services.DemoHistory;

namespace OrderingApi.Tests.Ordering;

public sealed class DemoHistoryGeneratorTests
{
    private static readonly DateOnly First = new(2024, 11, 21);
    private static readonly DateOnly Last = new(2026, 11, 20);
    private static readonly DateTimeOffset AsOf = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A catalog shaped like the seeded one: skis (winter), swimwear (summer), socks (bought in multiples), tents.</summary>
    private static List<DemoVariant> Catalog()
    {
        var categories = new[]
        {
            new[] { "skis", "winter-sports" }, ["swimwear", "water-sports"], ["socks", "clothing"], ["tents", "camping-hiking"],
        };
        var variants = new List<DemoVariant>();
        var id = 1;
        for (var product = 1; product <= 200; product++)
        {
            foreach (var size in new[] { "S", "M", "L", "XL", "XXL", "XS" })
            {
                variants.Add(new DemoVariant(id++, product, $"P{product}-{size}", $"Product {product}", new Dictionary<string, string> { ["Size"] = size },
                    20m + product, categories[product % categories.Length]));
            }
        }
        return variants;
    }

    private static GeneratedHistory Generate(int seed) => DemoHistoryGenerator.Generate(Catalog(), seed, 3000, 80, First, Last, AsOf);

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        var a = Generate(42);
        var b = Generate(42);
        var c = Generate(43);

        Assert.Equal(a.Orders.Count, b.Orders.Count);
        Assert.True(a.Orders.Zip(b.Orders).All(p => p.First.CreatedAt == p.Second.CreatedAt && p.First.Customer == p.Second.Customer
            && p.First.Status == p.Second.Status && p.First.Lines.SequenceEqual(p.Second.Lines)));
        Assert.Equal(a.Customers, b.Customers);
        Assert.NotEqual(a.Orders.Take(50).Select(o => o.CreatedAt), c.Orders.Take(50).Select(o => o.CreatedAt));
    }

    [Fact]
    public void Two_years_of_orders_with_repeat_buyers_multiples_and_a_few_cancellations_in_well_under_a_second_or_two()
    {
        var watch = Stopwatch.StartNew();
        var history = Generate(7);
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");

        Assert.InRange(history.Orders.Count, 730 * 70, 730 * 200);
        Assert.Equal(3000, history.Customers.Count);
        Assert.All(history.Orders, o => Assert.InRange(DateOnly.FromDateTime(o.CreatedAt.UtcDateTime), First, Last));
        Assert.All(history.Orders, o => Assert.Equal(o.Lines.Length, o.Lines.Select(l => l.Variant).Distinct().Count()));

        // Repeat buyers: the busiest customers ordered many times, and many customers more than once.
        var perCustomer = history.Orders.GroupBy(o => o.Customer).Select(g => g.Count()).OrderDescending().ToList();
        Assert.True(perCustomer[0] >= 50, $"the best customer ordered {perCustomer[0]} times");
        Assert.True(perCustomer.Count(n => n > 1) > 1000);

        var lines = history.Orders.SelectMany(o => o.Lines).ToList();
        Assert.InRange(lines.Count(l => l.Quantity > 1) / (double)lines.Count, 0.08, 0.4);
        Assert.InRange(history.Orders.Count(o => o.Status == OrderStatus.Cancelled) / (double)history.Orders.Count, 0.01, 0.06);
        Assert.True(history.Orders.Count(o => o.Lines.Length > 1) > history.Orders.Count / 5);
        // Old orders are delivered; only the last days hold orders still on their way.
        Assert.All(history.Orders.Where(o => o.CreatedAt < AsOf.AddDays(-10) && o.Status != OrderStatus.Cancelled), o => Assert.Equal(OrderStatus.Delivered, o.Status));
        // Customers joined before their first order.
        var firstOrders = history.Orders.GroupBy(o => o.Customer).ToDictionary(g => g.Key, g => g.Min(o => o.CreatedAt));
        Assert.All(firstOrders, f => Assert.True(history.Customers[f.Key].CreatedAt < f.Value));
    }

    [Fact]
    public void Winter_gear_sells_in_winter_summer_gear_in_summer_weekends_sell_more_and_the_shop_grows()
    {
        var catalog = Catalog();
        var history = DemoHistoryGenerator.Generate(catalog, 11, 3000, 80, First, Last, AsOf);
        int Units(string category, Func<DateTimeOffset, bool> when) => history.Orders.Where(o => when(o.CreatedAt))
            .SelectMany(o => o.Lines).Where(l => catalog[l.Variant].Categories.Contains(category)).Sum(l => l.Quantity);
        static bool Winter(DateTimeOffset at) => at.Month is 12 or 1 or 2;
        static bool Summer(DateTimeOffset at) => at.Month is 6 or 7 or 8;

        Assert.True(Units("winter-sports", Winter) > 4 * Units("winter-sports", Summer));
        Assert.True(Units("water-sports", Summer) > 4 * Units("water-sports", Winter));
        var saturdays = history.Orders.Count(o => o.CreatedAt.DayOfWeek == DayOfWeek.Saturday);
        var tuesdays = history.Orders.Count(o => o.CreatedAt.DayOfWeek == DayOfWeek.Tuesday);
        Assert.True(saturdays > tuesdays * 1.15, $"{saturdays} on Saturdays, {tuesdays} on Tuesdays");
        var firstYear = history.Orders.Count(o => o.CreatedAt < AsOf.AddYears(-1));
        Assert.True(history.Orders.Count - firstYear > firstYear * 1.1, "the second year sells more than the first");
        // Black Friday outsells an ordinary Friday.
        Assert.True(history.Orders.Count(o => DateOnly.FromDateTime(o.CreatedAt.UtcDateTime) == new DateOnly(2025, 11, 28))
            > 1.8 * history.Orders.Count(o => DateOnly.FromDateTime(o.CreatedAt.UtcDateTime) == new DateOnly(2025, 11, 14)));
    }

    [Fact]
    public void Variants_have_stock_outs_runs_of_days_without_a_sale()
    {
        var catalog = Catalog();
        var history = DemoHistoryGenerator.Generate(catalog, 5, 3000, 80, First, Last, AsOf);
        // The best-selling variant sells nearly every day, yet has a run of 4+ days without a sale somewhere.
        var best = history.Orders.SelectMany(o => o.Lines).GroupBy(l => l.Variant).MaxBy(g => g.Sum(l => l.Quantity))!.Key;
        var days = history.Orders.Where(o => o.Lines.Any(l => l.Variant == best)).Select(o => DateOnly.FromDateTime(o.CreatedAt.UtcDateTime)).ToHashSet();
        Assert.True(days.Count > 300, $"sold on {days.Count} days");
        var longestGap = 0;
        var gap = 0;
        for (var d = First; d <= Last; d = d.AddDays(1))
        {
            gap = days.Contains(d) ? 0 : gap + 1;
            longestGap = Math.Max(longestGap, gap);
        }
        Assert.True(longestGap >= 4, $"longest run without a sale: {longestGap} days");
    }
}
