using AssistantApi.Engines.Local;
using AssistantApi.Model;
using AssistantApi.Services;

namespace AssistantApi.Tests;

/// <summary>What the shopper reads must be right: names we do not have, wishes we cannot filter on, comparisons, refinements.</summary>
public sealed class ShopperWordsTests
{
    private readonly CatalogSnapshot _catalog = TestCatalog.Create();

    [Theory]
    [InlineData("is the Glacier Max 5000 boot waterproof?", "Glacier Max 5000")]
    [InlineData("Do you stock the Borealis Peak 3 tent?", "Borealis Peak 3")]
    [InlineData("show me Trailcraft hiking boots", null)]
    [InlineData("Tell me about the Northridge Skyline Down Sleeping Bag", null)]
    [InlineData("I need a tent for 4 people", null)]
    public void A_product_name_the_catalog_does_not_have_is_recognised(string message, string? name) =>
        Assert.Equal(name, EntityExtractor.Analyze(message, _catalog).UnknownName);

    [Fact]
    public void The_closest_real_names_come_from_the_category_asked_for()
    {
        var closest = _catalog.Closest("Glacier Talus boot", "hiking boots", 2);
        Assert.All(closest, p => Assert.Equal("Hiking Boots", p.Category));
        Assert.Equal(7, closest[0].Id); // "Northridge Talus Lightweight Hiker" shares "Talus"
    }

    [Fact]
    public void Wishes_the_catalog_cannot_filter_on_are_named_and_kept_out_of_the_search()
    {
        var analysis = EntityExtractor.Analyze("a light tent for 4 people under 300", _catalog);
        Assert.Equal(["weight (\"light\")", "capacity (for 4 people)"], analysis.Unsupported);
        Assert.Null(analysis.Quantity);
        Assert.Equal(300m, analysis.MaxPrice);
        Assert.Null(analysis.SearchText);
        Assert.Contains("can't filter by weight (\"light\") or capacity (for 4 people)", ReplyWriter.NotApplied(analysis.Unsupported));
    }

    [Theory]
    [InlineData("which of the first two is cheaper?", new[] { 0, 1 })]
    [InlineData("compare the first and the third", new[] { 0, 2 })]
    [InlineData("is the last two any lighter", new[] { -2, -1 })]
    public void Several_earlier_results_are_picked_at_once(string message, int[] picks) =>
        Assert.Equal(picks, EntityExtractor.Analyze(message, _catalog).Picks);

    [Theory]
    [InlineData("which of the first two is cheaper?", "compare")]
    [InlineData("only those under 80 please", "search")]
    [InlineData("now the cheapest first", "search")]
    [InlineData("just the ones below 90", "search")]
    public void After_a_search_a_follow_up_works_on_its_results(string message, string intent)
    {
        var conversation = new Conversation
        {
            Id = ConversationStore.NewId(),
            LastIntent = "search",
            LastSearch = new SearchFilters(null, "Tents", null, null, null, null, null, null),
            LastResults = [new ProductRef(1, "Northridge Talus 2 Backpacking Tent"), new ProductRef(2, "Basecamp Co. Cinder 6 Tunnel Tent")],
        };
        var turn = new TurnState(CallerKind.Anonymous, conversation);
        Assert.Equal(intent, LocalChatClient.Understand(ShippedModel.Classifier, EntityExtractor.Analyze(message, _catalog), turn));
    }

    [Fact]
    public void A_sports_news_question_is_not_a_product_search()
    {
        var catalog = TestCatalog.Create();
        var turn = new TurnState(CallerKind.Anonymous, new Conversation { Id = ConversationStore.NewId() });
        Assert.Equal("unknown", LocalChatClient.Understand(ShippedModel.Classifier, EntityExtractor.Analyze("who won the tents final on sunday?", catalog), turn));
    }
}

public sealed class UnknownNameTests
{
    private readonly CatalogSnapshot _catalog = TestCatalog.Create();

    [Fact]
    public void A_name_that_only_resembles_a_product_is_not_that_product()
    {
        var analysis = EntityExtractor.Analyze("is the Northridge Skyline Max 5000 bag warm?", _catalog);
        Assert.Null(analysis.Product);
        Assert.Equal("Northridge Skyline Max 5000", analysis.UnknownName);
    }

    [Theory]
    [InlineData("Tell me about the Northridge Skyline Down Sleepng Bag", 3)]
    [InlineData("put 2 Trailcraft Meridian Waterproof Hiking Boot (Black, 42) in my basket", 4)]
    [InlineData("Tell me about the Aurora Threads Arete Quarter-Zip Fleece", 8)]
    public void Typos_and_options_after_a_real_name_keep_the_product(string message, int productId)
    {
        var analysis = EntityExtractor.Analyze(message, _catalog);
        Assert.Null(analysis.UnknownName);
        Assert.Equal(productId, analysis.Product?.Id);
    }
}
