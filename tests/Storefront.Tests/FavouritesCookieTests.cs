using Storefront.Auth;

namespace Storefront.Tests;

/// <summary>The anonymous shopper's favourites cookie: product ids newest first, anything else left out.</summary>
public sealed class FavouritesCookieTests
{
    [Theory]
    [InlineData(null, new int[0])]
    [InlineData("", new int[0])]
    [InlineData("12-40-7", new[] { 12, 40, 7 })]
    [InlineData("12--x-40-12-0--5-+3", new[] { 12, 40, 5 })]
    [InlineData("99999999999-8", new[] { 8 })]
    public void Parse_keeps_positive_distinct_ids_in_order(string? value, int[] expected) =>
        Assert.Equal(expected, FavouritesCookie.Parse(value));

    [Fact]
    public void At_most_the_limit_is_kept_and_written_back_the_same()
    {
        var many = Enumerable.Range(1, FavouritesCookie.Limit + 10).ToList();
        var text = FavouritesCookie.Format(many);
        Assert.Equal(many.Take(FavouritesCookie.Limit), FavouritesCookie.Parse(text));
        Assert.Equal(text, FavouritesCookie.Format(FavouritesCookie.Parse(text)));
        Assert.True(text.Length < 400, $"{text.Length} characters");
    }
}
