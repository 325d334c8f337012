using AssistantApi.Engines.Local;
using AssistantApi.Model;
using AssistantApi.Plugins;
using AssistantApi.Services;

namespace AssistantApi.Tests;

/// <summary>Favourites (wishlist) requests reach the favourites tools, and the replies say what the tools found.</summary>
public sealed class FavouriteIntentTests
{
    private readonly CatalogSnapshot _catalog = TestCatalog.Create();

    [Theory]
    [InlineData("add the Northridge Skyline Down Sleeping Bag to my favourites", "add_favourite")]
    [InlineData("could you save this one to my wishlist", "add_favourite")]
    [InlineData("pop the Trailcraft Ibex 35 Hiking Pack on my wish list", "add_favourite")]
    [InlineData("what's on my wishlist?", "list_favourites")]
    [InlineData("show me my favorites", "list_favourites")]
    [InlineData("is anything in my favourites back in stock", "list_favourites")]
    [InlineData("remove the Trailcraft Ibex 35 Hiking Pack from my favourites", "remove_favourite")]
    [InlineData("pop the Fjellström Zephyr Packable Rain Jacket into my basket", "add_to_cart")]
    [InlineData("what's your favourite tent?", "search")]
    public void Favourite_words_decide_the_intent(string message, string intent)
    {
        var analysis = EntityExtractor.Analyze(message, _catalog);
        var turn = new TurnState(CallerKind.Customer, new Conversation { Id = ConversationStore.NewId() });
        Assert.Equal(intent, LocalChatClient.Understand(ShippedModel.Classifier, analysis, turn));
    }

    [Fact]
    public void The_list_reply_names_each_favourite_with_its_price_and_stock()
    {
        var reply = FavouriteReplies.List(new FavouritesResult(3,
        [
            new FavouriteHit(1, "Quartz 3 Dome Tent", "Northridge", "quartz-3", "", 249m, 249m, true, true, true),
            new FavouriteHit(2, "Ember Stove", "Trailcraft", "ember", "", 39.5m, 45m, false, false, true),
        ]));
        Assert.StartsWith("You have 3 favourites:", reply);
        Assert.Contains("Quartz 3 Dome Tent (Northridge) – €249.00, back in stock!", reply);
        Assert.Contains("Ember Stove (Trailcraft) – from €39.50, sold out", reply);
        Assert.Contains("1 more on your favourites page", reply);
    }
}
