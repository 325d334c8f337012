using CatalogApi.Services;

namespace CatalogApi.Tests;

public sealed class SlugTests
{
    [Theory]
    [InlineData("Northridge Talus 2 Backpacking Tent", "northridge-talus-2-backpacking-tent")]
    [InlineData("Fjellström Merino T-Shirt", "fjellstrom-merino-t-shirt")]
    [InlineData("Basecamp Co.", "basecamp-co")]
    [InlineData("  9.5 Dynamic Rope!! ", "9-5-dynamic-rope")]
    [InlineData("Tennis Balls (4-Pack)", "tennis-balls-4-pack")]
    [InlineData("'; DROP TABLE products; --", "drop-table-products")]
    [InlineData("%%%", "")]
    public void From_makes_lower_case_ascii_words_joined_by_single_hyphens(string text, string expected) =>
        Assert.Equal(expected, Slug.From(text));

    [Fact]
    public void From_caps_the_length_without_a_trailing_hyphen()
    {
        var slug = Slug.From(string.Join(' ', Enumerable.Repeat("abcdefghi", 20)));
        Assert.True(slug.Length <= Slug.MaxLength);
        Assert.False(slug.EndsWith('-'));
    }

    [Theory]
    [InlineData("trail-runner-2", true)]
    [InlineData("Trail-Runner", false)]
    [InlineData("trail--runner", false)]
    [InlineData("-trail", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_accepts_only_what_From_produces(string? slug, bool valid) => Assert.Equal(valid, Slug.IsValid(slug));

    [Fact]
    public void Unique_adds_the_first_free_number()
    {
        var taken = new HashSet<string> { "tent", "tent-2", "tent-3" };
        Assert.Equal("tent-4", Slug.Unique("tent", taken.Contains));
        Assert.Equal("boot", Slug.Unique("boot", taken.Contains));
    }
}
