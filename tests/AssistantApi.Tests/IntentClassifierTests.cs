using AssistantApi.Engines.Local;
using AssistantApi.Model;
using AssistantApi.Services;

namespace AssistantApi.Tests;

/// <summary>The classifier with the engine's corrections (<see cref="LocalChatClient.Understand"/>), on phrasings it was not trained on.</summary>
public sealed class IntentClassifierTests
{
    private static readonly IntentClassifier Classifier = ShippedModel.Classifier;
    private readonly AssistantApi.Services.CatalogSnapshot _catalog = TestCatalog.Create();

    // Phrasings that are not in the training set, with real entity values, as a user would type them.
    [Theory]
    [InlineData("got any rain jackets?", "search")]
    [InlineData("I'd love to see your Trailcraft range", "search")]
    [InlineData("give me details on the Northridge Skyline Down Sleeping Bag", "product_details")]
    [InlineData("does the Trailcraft Meridian Waterproof Hiking Boot come in black", "check_availability")]
    [InlineData("pop the Fjellström Zephyr Packable Rain Jacket into my basket", "add_to_cart")]
    [InlineData("what's currently in my shopping basket", "view_cart")]
    [InlineData("where's order 4412", "order_status")]
    [InlineData("cancel 4412 please", "cancel_order")]
    [InlineData("show me everything I've ordered", "list_orders")]
    [InlineData("put my order through, paying cash on delivery", "place_order")]
    [InlineData("check out for me and I'll give the driver cash", "place_order")]
    [InlineData("can I get a refund if it doesn't fit", "policy")]
    [InlineData("when are you getting the Northridge Skyline Down Sleeping Bag back", "restock")]
    [InlineData("what do people usually buy along with the Trailcraft Ibex 35 Hiking Pack", "recommend")]
    [InlineData("how well reviewed is the Trailcraft Ibex 35 Hiking Pack", "reviews")]
    [InlineData("what are buyers saying about the Northridge Skyline Down Sleeping Bag", "reviews")]
    [InlineData("what's the temperature rating of the Northridge Skyline Down Sleeping Bag", "product_details")]
    [InlineData("sales forecast for the Northridge Talus 2 Backpacking Tent over the next 60 days", "forecast")]
    [InlineData("which items are low and need reordering", "reorder")]
    [InlineData("hello!", "greeting")]
    [InlineData("thanks so much", "thanks")]
    public void Predicts_the_intent_of_unseen_phrasings(string message, string intent)
    {
        var analysis = EntityExtractor.Analyze(message, _catalog);
        var turn = new TurnState(CallerKind.Customer, new Conversation { Id = ConversationStore.NewId() });
        Assert.Equal(intent, LocalChatClient.Understand(Classifier, analysis, turn));
    }

    [Fact]
    public void Gibberish_is_recognised_as_such()
    {
        var prediction = Classifier.Predict("zxqv plomb wrrtt");
        Assert.True(prediction.KnownFeatureShare < 0.34 || prediction.Intent == "out_of_scope", $"{prediction.Intent} {prediction.Probability}");
    }

    [Fact]
    public void The_training_set_does_not_contain_the_development_set()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "assistant", "dev-questions.jsonl");
        Assert.SkipUnless(File.Exists(path), "the development set is not beside the repository");
        var training = IntentClassifier.LoadTrainingSet().Select(e => Text.Fold(e.Text).Trim('?', '!', ' ')).ToHashSet();
        foreach (var line in File.ReadAllLines(path))
        {
            foreach (var turn in System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("turns").EnumerateArray())
            {
                Assert.DoesNotContain(Text.Fold(Slots.FromBraces(turn.GetString()!)).Trim('?', '!', ' '), training);
            }
        }
    }
}

/// <summary>The model file the app loads (copied beside the tests), which must be trained on the current training set.</summary>
internal static class ShippedModel
{
    public static readonly IntentClassifier Classifier =
        IntentClassifier.Load(Path.Combine(AppContext.BaseDirectory, IntentClassifier.ModelFileName), IntentClassifier.LoadTrainingSet());
}

public sealed class IntentModelFileTests
{
    [Fact]
    public void The_shipped_model_was_trained_on_the_current_training_set() =>
        Assert.Equal(IntentClassifier.Hash(IntentClassifier.LoadTrainingSet()),
            IntentClassifier.ReadTrainingHash(Path.Combine(AppContext.BaseDirectory, IntentClassifier.ModelFileName)));

    [Fact]
    public void A_model_trained_on_other_utterances_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"intent-model-{Guid.NewGuid():N}.zip");
        var examples = IntentClassifier.LoadTrainingSet();
        try
        {
            IntentClassifier.TrainAndSave(examples.Take(examples.Count - 1).ToList(), path);
            Assert.Throws<InvalidOperationException>(() => IntentClassifier.Load(path, examples));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Concurrent_predictions_agree_with_one_at_a_time()
    {
        var messages = new[] { "show me slotcategory", "where is order slotnum", "what is your return policy", "add slotproduct to my cart" };
        var expected = messages.Select(m => ShippedModel.Classifier.Predict(m).Intent).ToList();
        var results = new string[400];
        Parallel.For(0, results.Length, i => results[i] = ShippedModel.Classifier.Predict(messages[i % messages.Length]).Intent);
        Assert.All(results.Select((r, i) => (r, i)), x => Assert.Equal(expected[x.i % messages.Length], x.r));
    }
}

public sealed class DialogueStateTests
{
    private static readonly IntentClassifier Classifier = ShippedModel.Classifier;
    private readonly CatalogSnapshot _catalog = TestCatalog.Create();

    [Theory]
    [InlineData("is it available in red?")]
    [InlineData("and in XL?")]
    [InlineData("what about Sky Blue")]
    public void A_bare_option_after_a_product_is_a_stock_question(string message)
    {
        var conversation = new Conversation { Id = ConversationStore.NewId(), Product = new ProductRef(1, "Northridge Talus 2 Backpacking Tent") };
        Assert.Equal("check_availability", LocalChatClient.Understand(Classifier, EntityExtractor.Analyze(message, _catalog), new TurnState(CallerKind.Customer, conversation)));
    }

    [Fact]
    public void A_yes_confirms_only_while_a_checkout_waits()
    {
        var conversation = new Conversation { Id = ConversationStore.NewId() };
        var turn = new TurnState(CallerKind.Customer, conversation);
        Assert.Equal("confirm", LocalChatClient.Understand(Classifier, EntityExtractor.Analyze("yes", _catalog), turn)); // the engine then asks "yes to what?"
        conversation.PendingOrder = new PendingOrder("p1", 2, 40m, DateTimeOffset.UtcNow);
        Assert.Equal("confirm", LocalChatClient.Understand(Classifier, EntityExtractor.Analyze("yes please", _catalog), turn));
        Assert.Equal("decline", LocalChatClient.Understand(Classifier, EntityExtractor.Analyze("no, not yet", _catalog), turn));
    }
}
