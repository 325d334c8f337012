using AssistantApi.Engines.Local;

namespace AssistantApi.Tests;

public sealed class EntityExtractorTests
{
    private readonly AssistantApi.Services.CatalogSnapshot _catalog = TestCatalog.Create();

    [Theory]
    [InlineData("Tell me about the Northridge Talus 2 Backpacking Tent", 1)]
    [InlineData("is the northrige talus 2 backpaking tent in stock?", 1)]
    [InlineData("what about the Fjellstrom Zephyr Packable Rain Jacket", 5)]
    [InlineData("Trailcraft Meridian boot", 4)]
    public void Finds_a_product_by_name_with_typos_and_accents(string message, int productId)
    {
        var analysis = EntityExtractor.Analyze(message, _catalog);
        Assert.Equal(productId, analysis.Product?.Id);
        Assert.Contains(Slots.Product, analysis.Delexicalized);
    }

    [Fact]
    public void A_brand_and_a_category_are_not_mistaken_for_a_product()
    {
        var analysis = EntityExtractor.Analyze("show me northridge tents", _catalog);
        Assert.Null(analysis.Product);
        Assert.Equal("tents", analysis.Category?.Slug);
        Assert.Equal("northridge", analysis.Brand?.Slug);
    }

    [Fact]
    public void Quantity_colour_and_size_are_told_apart_from_numbers_in_the_product_name()
    {
        var analysis = EntityExtractor.Analyze("put 2 Northridge Talus 2 Backpacking Tent (Forest Green, 42) in my basket", _catalog);
        Assert.Equal(1, analysis.Product?.Id);
        Assert.Equal(2, analysis.Quantity);
        Assert.Equal("Forest Green", analysis.Color);
        Assert.Equal("42", analysis.Size);
    }

    [Theory]
    [InlineData("sleeping bags under 150 dollars", null, 150.0)]
    [InlineData("jackets between 50 and 120", 50.0, 120.0)]
    [InlineData("backpacks over €80", 80.0, null)]
    public void Reads_price_limits(string message, double? min, double? max)
    {
        var analysis = EntityExtractor.Analyze(message, _catalog);
        Assert.Equal(min is null ? null : (decimal)min.Value, analysis.MinPrice);
        Assert.Equal(max is null ? null : (decimal)max.Value, analysis.MaxPrice);
        Assert.NotNull(analysis.Category);
    }

    [Theory]
    [InlineData("where is my order 1234?", "1234")]
    [InlineData("has order #SO-00084722 shipped", "SO-00084722")]
    [InlineData("status of #77", "77")]
    public void Reads_order_references(string message, string reference) =>
        Assert.Equal(reference, EntityExtractor.Analyze(message, _catalog).OrderReference);

    [Theory]
    [InlineData("is it available in size M?", "M")]
    [InlineData("do you have it in medium", "M")]
    [InlineData("in XL?", "XL")]
    public void Reads_sizes(string message, string size) => Assert.Equal(size, EntityExtractor.Analyze(message, _catalog).Size);

    [Fact]
    public void A_lower_case_m_in_a_sentence_is_not_a_size() =>
        Assert.Null(EntityExtractor.Analyze("i m looking for a tent", _catalog).Size);

    [Theory]
    [InlineData("cheapest tents you have", "price-asc")]
    [InlineData("your most expensive jackets", "price-desc")]
    [InlineData("most popular backpacks", "best-selling")]
    public void Reads_sort_order(string message, string sort) => Assert.Equal(sort, EntityExtractor.Analyze(message, _catalog).Sort);

    [Theory]
    [InlineData("how many will we sell in the next 30 days", 30)]
    [InlineData("forecast for next week", 7)]
    [InlineData("demand next month", 30)]
    public void Reads_forecast_horizons(string message, int days) => Assert.Equal(days, EntityExtractor.Analyze(message, _catalog).HorizonDays);

    [Fact]
    public void A_name_shared_by_two_products_picks_neither()
    {
        var analysis = EntityExtractor.Analyze("tell me about the northridge talus", _catalog);
        Assert.Null(analysis.Product);
        Assert.Contains("talus", analysis.SearchText);
    }

    [Theory]
    [InlineData("when will it be back in grey?", "Grey")]
    [InlineData("do you have it in purpel", "Purple")]
    [InlineData("is it back in stock", null)]
    public void Colours_allow_typos_only_in_long_names(string message, string? colour) =>
        Assert.Equal(colour, EntityExtractor.Analyze(message, _catalog).Color);

    [Fact]
    public void Nothing_over_a_price_is_an_upper_limit()
    {
        var analysis = EntityExtractor.Analyze("Looking for rain jackets, nothing over 150", _catalog);
        Assert.Equal(150m, analysis.MaxPrice);
        Assert.Null(analysis.MinPrice);
    }

    [Fact]
    public void Everyday_shop_words_are_not_typos_of_catalog_names()
    {
        var snapshot = new AssistantApi.Services.CatalogSnapshot([],
            [new AssistantApi.Services.IndexedTerm("socks", "Socks", AssistantApi.Services.CatalogIndex.Words("Socks"))], [], [], [], DateTimeOffset.UtcNow);
        Assert.Null(EntityExtractor.Analyze("size M in stock?", snapshot).Category);
        Assert.Equal("socks", EntityExtractor.Analyze("any sokcs?", snapshot).Category?.Slug);
    }
}
