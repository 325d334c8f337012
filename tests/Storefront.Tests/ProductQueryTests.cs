using Storefront.Services;

namespace Storefront.Tests;

public class ProductQueryTests
{
    [Fact]
    public void Reads_the_shop_url_and_writes_the_same_url_back()
    {
        var query = ProductQuery.Parse("?q=rain%20jacket&category=rain-jackets&brand=northridge&size=M&colour=Red&option=Capacity:1%20L&inStock=true&sort=price-asc&page=2");

        Assert.Equal("rain jacket", query.Text);
        Assert.Equal(["rain-jackets"], query.Categories);
        Assert.Equal(["northridge"], query.Brands);
        Assert.True(query.InStock);
        Assert.Equal("price-asc", query.Sort);
        Assert.Equal(2, query.Page);
        Assert.Equal(["M"], query.Options["Size"]);
        Assert.Equal(["Red"], query.Options["Colour"]);
        Assert.Equal(["1 L"], query.Options["Capacity"]);
        Assert.Equal(query, ProductQuery.Parse(query.ToUrl()[4..]), ProductQueryComparer.Instance);
    }

    [Fact]
    public void Builds_the_catalog_query_with_the_page_size()
    {
        var query = new ProductQuery { Text = "tent", Sort = "newest", Size = 4 };

        Assert.Equal("?q=tent&sort=newest&pageSize=4", query.ToApiQuery());
        Assert.Equal("shop?q=tent&sort=newest", query.ToUrl());
    }

    [Theory]
    [InlineData("?page=0", 1)]
    [InlineData("?page=-3", 1)]
    [InlineData("?page=abc", 1)]
    [InlineData("?page=99999", 1)]
    [InlineData("?page=7", 7)]
    public void A_bad_page_number_falls_back_to_the_first_page(string url, int page) =>
        Assert.Equal(page, ProductQuery.Parse(url).Page);

    [Fact]
    public void Unknown_sorts_and_bad_prices_are_dropped()
    {
        var query = ProductQuery.Parse("?sort=drop-table&minPrice=cheap&maxPrice=-5");

        Assert.Null(query.Sort);
        Assert.Null(query.MinPrice);
        Assert.Null(query.MaxPrice);
        Assert.False(query.HasFilters);
    }

    [Fact]
    public void Toggling_a_filter_adds_it_then_removes_it_and_goes_back_to_page_one()
    {
        var query = ProductQuery.Parse("?q=boots&page=3");

        var withSize = query.Toggle("Size", "42");
        Assert.Equal("shop?q=boots&size=42", withSize.ToUrl());
        Assert.True(withSize.IsSelected("Size", "42"));

        var without = withSize.Toggle("Size", "42");
        Assert.Equal("shop?q=boots", without.ToUrl());
        Assert.Equal("shop?q=boots&category=tents", query.ToggleCategory("tents").ToUrl());
        Assert.Equal("shop?q=boots&brand=alpenglow", query.ToggleBrand("alpenglow").ToUrl());
    }

    [Fact]
    public void Colour_spelt_color_in_an_option_filter_is_the_colour_filter()
    {
        var query = ProductQuery.Parse("?option=color:Blue");

        Assert.Equal(["Blue"], query.Options["Colour"]);
        Assert.Equal("shop?colour=Blue", query.ToUrl());
    }

    private sealed class ProductQueryComparer : IEqualityComparer<ProductQuery>
    {
        public static readonly ProductQueryComparer Instance = new();

        public bool Equals(ProductQuery? x, ProductQuery? y) => x?.ToUrl() == y?.ToUrl();

        public int GetHashCode(ProductQuery obj) => obj.ToUrl().GetHashCode(StringComparison.Ordinal);
    }
}
