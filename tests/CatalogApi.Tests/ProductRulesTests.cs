using CatalogApi.Model;
using CatalogApi.Services;

namespace CatalogApi.Tests;

public sealed class ProductRulesTests
{
    private static CreateProductRequest Valid() => new(
        Name: "Summit Peak Test Jacket",
        Slug: null,
        Description: "A jacket.",
        BrandId: 1,
        CategoryId: 2,
        Tags: ["Rain"],
        Options: [new OptionInput("Size", ["S", "M"]), new OptionInput("Colour", ["Red"])],
        Variants:
        [
            new VariantInput(null, new() { ["Size"] = "S", ["Colour"] = "Red" }, 99.99m, 5, null, null),
            new VariantInput("SP-TEST-M-RED", new() { ["size"] = "m", ["colour"] = "red" }, 99.99m, 0, 2, 10),
        ]);

    [Fact]
    public void A_complete_product_passes() => Assert.Empty(ProductRules.CheckCreate(Valid()));

    [Fact]
    public void Missing_fields_are_named()
    {
        var errors = ProductRules.CheckCreate(new CreateProductRequest(null, null, null, null, null, null, null, null));
        Assert.Equal(["brandId", "categoryId", "name"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("Not A Slug")]
    [InlineData("double--hyphen")]
    public void A_given_slug_must_be_a_slug(string slug) =>
        Assert.Contains("slug", ProductRules.CheckCreate(Valid() with { Slug = slug }).Keys);

    [Fact]
    public void A_variant_needs_one_known_value_per_option_and_a_price()
    {
        var request = Valid() with
        {
            Variants =
            [
                new VariantInput(null, new() { ["Size"] = "XXL", ["Colour"] = "Red" }, 10m, null, null, null),
                new VariantInput(null, new() { ["Size"] = "S" }, null, null, null, null),
                new VariantInput(null, new() { ["Size"] = "S", ["Colour"] = "Red", ["Fit"] = "Slim" }, 10.001m, -1, null, 400),
            ],
        };
        var errors = ProductRules.CheckCreate(request);
        Assert.Contains("'XXL' is not one of the values", errors["variants[0].options"][0]);
        Assert.Contains("A value for 'Colour' is required.", errors["variants[1].options"]);
        Assert.Contains("variants[1].price", errors.Keys);
        Assert.Contains("The product has no option 'Fit'.", errors["variants[2].options"]);
        Assert.Contains("variants[2].price", errors.Keys);
        Assert.Contains("variants[2].onHand", errors.Keys);
        Assert.Contains("variants[2].leadTimeDays", errors.Keys);
    }

    [Fact]
    public void Two_variants_cannot_share_option_values_or_a_sku()
    {
        var request = Valid() with
        {
            Variants =
            [
                new VariantInput("A-1", new() { ["Size"] = "S", ["Colour"] = "Red" }, 10m, null, null, null),
                new VariantInput("A-1", new() { ["size"] = "s", ["colour"] = "RED" }, 10m, null, null, null),
            ],
        };
        var errors = ProductRules.CheckCreate(request);
        Assert.Contains("variants[1].options", errors.Keys);
        Assert.Contains("variants[1].sku", errors.Keys);
    }

    [Fact]
    public void Options_need_unique_names_and_values()
    {
        var errors = ProductRules.CheckCreate(Valid() with { Options = [new OptionInput("Size", ["S", "s"]), new OptionInput("size", ["M"])] });
        Assert.Contains("options[0].values", errors.Keys);
        Assert.Contains("options[1].name", errors.Keys);
    }

    [Fact]
    public void New_values_are_allowed_when_adding_a_variant()
    {
        var errors = new Dictionary<string, string[]>();
        var key = ProductRules.CheckVariant(new VariantInput(null, new() { ["size"] = "XL" }, 10m, null, null, null),
            [("Size", ["S", "M"])], allowNewValues: true, "", errors);
        Assert.Empty(errors);
        Assert.Equal("size=xl", key);
    }

    [Fact]
    public void A_variant_update_needs_something_to_change() =>
        Assert.NotEmpty(ProductRules.CheckVariantUpdate(new UpdateVariantRequest(null, null, null)));

    [Fact]
    public void Tags_are_trimmed_lower_case_and_unique() =>
        Assert.Equal(["rain", "gore-tex"], ProductRules.NormalizeTags([" Rain", "rain ", "Gore-Tex", ""]));
}
