using CatalogApi.Services;

namespace CatalogApi.Tests;

public sealed class SearchTextTests
{
    [Fact]
    public void Every_word_is_required_and_the_last_is_a_prefix() =>
        Assert.Equal("hiking & boot:*", SearchText.ToTsQuery(["hiking", "boot"]));

    [Fact]
    public void Characters_that_are_tsquery_syntax_never_reach_it() =>
        Assert.Equal("t & shirt & a:*", SearchText.ToTsQuery(["t-shirt", "a':*|!&"]));

    [Fact]
    public void No_words_no_query() => Assert.Null(SearchText.ToTsQuery(["-", "::"]));

    [Theory]
    [InlineData("jackt", true)]
    [InlineData("bag", false)]
    [InlineData("gtx3", false)]
    public void Only_longer_words_without_digits_are_corrected(string word, bool corrected) =>
        Assert.Equal(corrected, SearchText.MayCorrect(word));
}

public sealed class StopWordTests
{
    [Fact]
    public void Down_is_a_word_in_this_shop_but_the_is_not()
    {
        Assert.False(SearchText.IsStopWord("down"));
        Assert.True(SearchText.IsStopWord("the"));
        Assert.True(CatalogApi.Services.ProductSearchParser.TryParse(new CatalogApi.Model.ProductListQuery(Q: "the down jacket for winter"), out var search, out _));
        Assert.Equal(["down", "jacket", "winter"], search.Words);
    }
}
