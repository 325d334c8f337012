using Storefront.Model;
using Storefront.Services;

namespace Storefront.Tests;

public class VariantPickerTests
{
    // A jacket sold in S and M in Red, and only M in Blue; Red M is sold out.
    private static readonly ProductOption[] Options = [new("Size", ["S", "M"]), new("Colour", ["Red", "Blue"])];

    private static readonly ProductVariant[] Variants =
    [
        new(1, "J-S-RED", new Dictionary<string, string> { ["Size"] = "S", ["Colour"] = "Red" }, 100m, 4),
        new(2, "J-M-RED", new Dictionary<string, string> { ["Size"] = "M", ["Colour"] = "Red" }, 100m, 0),
        new(3, "J-M-BLUE", new Dictionary<string, string> { ["Size"] = "M", ["Colour"] = "Blue" }, 110m, 2),
    ];

    [Fact]
    public void Starts_on_the_first_variant_in_stock()
    {
        var picker = new VariantPicker(Options, Variants);

        Assert.Equal(1, picker.Current?.Id);
    }

    [Fact]
    public void Offers_only_values_that_exist_with_the_other_choices()
    {
        var picker = new VariantPicker(Options, Variants); // S, Red

        Assert.True(picker.IsOffered("Colour", "Red"));
        Assert.False(picker.IsOffered("Colour", "Blue")); // there is no small blue one
        Assert.True(picker.IsOffered("Size", "M"));
    }

    [Fact]
    public void Choosing_a_value_that_does_not_fit_moves_the_other_choices_to_a_combination_that_exists()
    {
        var picker = new VariantPicker(Options, Variants); // S, Red

        picker.Select("Colour", "Blue");

        Assert.Equal(3, picker.Current?.Id);
        Assert.Equal("M", picker.Selected["Size"]);
    }

    [Fact]
    public void A_sold_out_combination_is_offered_but_marked_out_of_stock()
    {
        var picker = new VariantPicker(Options, Variants);

        picker.Select("Size", "M");

        Assert.Equal(2, picker.Current?.Id); // M keeps Red: that combination exists
        Assert.False(picker.IsInStock("Size", "M"));
        Assert.True(picker.IsInStock("Colour", "Blue"));
    }

    [Fact]
    public void A_value_no_variant_has_is_ignored()
    {
        var picker = new VariantPicker(Options, Variants);

        picker.Select("Size", "XXL");

        Assert.Equal(1, picker.Current?.Id);
    }

    [Fact]
    public void A_product_with_one_variant_and_no_options_has_that_variant()
    {
        var only = new ProductVariant(9, "BOTTLE", new Dictionary<string, string>(), 15m, 10);

        Assert.Equal(9, new VariantPicker([], [only]).Current?.Id);
    }
}
