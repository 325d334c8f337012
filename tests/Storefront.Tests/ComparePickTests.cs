using Storefront.Services;

namespace Storefront.Tests;

/// <summary>The compare bar's rule: up to four products, all of the first one's category; unpicking always works.</summary>
public sealed class ComparePickTests
{
    private static ComparedProduct Tent(int id) => new(id, $"Tent {id}", $"/t{id}.svg", "Tents", "tents");

    private static readonly ComparedProduct Bag = new(90, "Ibex Mummy Sleeping Bag", "/b.svg", "Sleeping Bags", "sleeping-bags");

    [Fact]
    public void Picks_add_in_order_up_to_the_limit_and_a_fifth_is_refused_with_the_limit()
    {
        List<ComparedProduct> picked = [];
        for (var id = 1; id <= CompareStore.Limit; id++)
        {
            var (next, refusal) = CompareStore.Decide(picked, Tent(id), picked: true);
            Assert.Null(refusal);
            picked = next!;
        }
        Assert.Equal([1, 2, 3, 4], picked.Select(p => p.Id));

        var (unchanged, tooMany) = CompareStore.Decide(picked, Tent(5), picked: true);
        Assert.Null(unchanged);
        Assert.Equal("Up to 4 products can be compared at once: remove one to add Tent 5.", tooMany!.Message);
        Assert.False(tooMany.StartNew);
    }

    [Fact]
    public void Another_category_is_refused_with_both_categories_named_and_a_new_start_offered()
    {
        var (next, refusal) = CompareStore.Decide([Tent(1), Tent(2)], Bag, picked: true);
        Assert.Null(next);
        Assert.Equal("Only products of one category can be compared: you are comparing tents, and Ibex Mummy Sleeping Bag is in sleeping bags.", refusal!.Message);
        Assert.True(refusal.StartNew);
        Assert.Same(Bag, refusal.Product);
    }

    [Fact]
    public void The_first_pick_sets_the_category_unpicking_always_works_and_a_repeat_changes_nothing()
    {
        Assert.Equal([90], CompareStore.Decide([], Bag, picked: true).Next!.Select(p => p.Id));
        Assert.Equal([1, 3], CompareStore.Decide([Tent(1), Tent(2), Tent(3)], Tent(2), picked: false).Next!.Select(p => p.Id));
        Assert.Equal([1], CompareStore.Decide([Tent(1)], Bag, picked: false).Next!.Select(p => p.Id));
        Assert.Equal((null, null), CompareStore.Decide([Tent(1)], Tent(1), picked: true));
    }
}
