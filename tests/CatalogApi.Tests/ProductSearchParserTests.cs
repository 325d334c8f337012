using CatalogApi.Model;
using CatalogApi.Services;

namespace CatalogApi.Tests;

public sealed class ProductSearchParserTests
{
    private static ProductSearch Parse(ProductListQuery query)
    {
        Assert.True(ProductSearchParser.TryParse(query, out var search, out var errors), string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        return search;
    }

    private static Dictionary<string, string[]> Errors(ProductListQuery query)
    {
        Assert.False(ProductSearchParser.TryParse(query, out _, out var errors));
        return errors;
    }

    [Fact]
    public void Defaults_are_page_1_of_24_by_relevance()
    {
        var search = Parse(new ProductListQuery());
        Assert.Equal((1, 24, ProductSort.Relevance), (search.Page, search.PageSize, search.Sort));
        Assert.Null(search.Text);
        Assert.False(search.InStock);
    }

    [Theory]
    [InlineData("-1", null, "minPrice")]
    [InlineData("abc", null, "minPrice")]
    [InlineData(null, "1e9", "maxPrice")]
    [InlineData("100", "50", "maxPrice")]
    public void Bad_prices_name_the_field(string? min, string? max, string field) =>
        Assert.Contains(field, Errors(new ProductListQuery(MinPrice: min, MaxPrice: max)).Keys);

    [Theory]
    [InlineData("10000")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    public void Page_size_is_1_to_100(string pageSize) =>
        Assert.Equal(["pageSize"], Errors(new ProductListQuery(PageSize: pageSize)).Keys);

    [Fact]
    public void An_unknown_sort_lists_the_known_ones()
    {
        var errors = Errors(new ProductListQuery(Sort: "cheapest"));
        Assert.Contains("price-asc", errors["sort"][0]);
    }

    [Theory]
    [InlineData("price-asc", ProductSort.PriceAsc)]
    [InlineData("price_desc", ProductSort.PriceDesc)]
    [InlineData("Best-Selling", ProductSort.BestSelling)]
    [InlineData("newest", ProductSort.Newest)]
    [InlineData("name", ProductSort.Name)]
    public void Sorts_are_read_loosely(string text, ProductSort sort) => Assert.Equal(sort, Parse(new ProductListQuery(Sort: text)).Sort);

    [Fact]
    public void Numeric_sorts_are_not_enum_values() => Assert.False(ProductSearchParser.TryParseSort("2", out _));

    [Fact]
    public void Several_errors_are_reported_together()
    {
        var errors = Errors(new ProductListQuery(MinPrice: "-1", PageSize: "10000", Sort: "x", InStock: "maybe", Page: "0"));
        Assert.Equal(["inStock", "minPrice", "page", "pageSize", "sort"], errors.Keys.Order());
    }

    [Fact]
    public void Filters_are_normalised_so_equal_requests_share_a_cache_key()
    {
        var a = Parse(new ProductListQuery(Q: "Hiking  BOOTS", Brand: ["Wildpath", "trailcraft"], Colour: ["Red,blue"], Size: ["M"]));
        var b = Parse(new ProductListQuery(Q: "hiking boots!", Brand: ["trailcraft,wildpath"], Color: ["blue", "red"], Option: ["Size:m"]));
        Assert.Equal(a.CacheKey, b.CacheKey);
        Assert.Equal(["trailcraft", "wildpath"], a.Brands);
        Assert.Equal(["colour", "size"], a.Options.Select(o => o.Name));
        Assert.Equal(["blue", "red"], a.Options[0].Values);
    }

    [Fact]
    public void Option_filters_need_a_name_and_a_value() =>
        Assert.Equal(["option"], Errors(new ProductListQuery(Option: ["Colour"])).Keys);

    [Theory]
    [InlineData("'; DROP TABLE products; --", new[] { "drop", "table", "products" })]
    [InlineData("50% off_sale*", new[] { "50", "off", "sale" })]
    [InlineData("tent & !stove | (lamp):*", new[] { "tent", "stove", "lamp" })]
    [InlineData("Fjellström", new[] { "fjellström" })]
    [InlineData("boots boots BOOTS", new[] { "boots" })]
    public void Search_text_is_only_words(string text, string[] words) => Assert.Equal(words, ProductSearchParser.Tokenize(text));

    [Fact]
    public void Text_without_any_word_matches_nothing()
    {
        var search = Parse(new ProductListQuery(Q: "%_%"));
        Assert.True(search.MatchesNothing);
        Assert.False(Parse(new ProductListQuery(Q: "  ")).MatchesNothing);
    }

    [Fact]
    public void Search_text_is_limited_in_length() =>
        Assert.Equal(["q"], Errors(new ProductListQuery(Q: new string('a', 201))).Keys);
}
