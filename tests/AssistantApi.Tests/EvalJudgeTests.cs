using System.Text.Json.Nodes;
using AssistantApi.Evaluation;

namespace AssistantApi.Tests;

/// <summary>The evaluation judges every expectation key of the development set, and fails on any it does not know.</summary>
public sealed class EvalJudgeTests
{
    private static readonly Dictionary<string, string> Values = new() { ["maxPrice"] = "100", ["productId"] = "7" };

    private static JsonObject Answer(string reply, string calls = "[]", string products = "[]") =>
        JsonNode.Parse($$"""{"conversationId":"c","reply":{{System.Text.Json.JsonSerializer.Serialize(reply)}},"toolCalls":{{calls}},"products":{{products}}}""")!.AsObject();

    private static JsonObject Dialogue(string expect) => JsonNode.Parse($$"""{"id":"t1","as":"anonymous","turns":["x"],"expect":{{expect}}}""")!.AsObject();

    private const string TwoCards = """[{"productId":7,"name":"Alpha Tent","price":80},{"productId":9,"name":"Beta Tent","price":120}]""";

    [Fact]
    public void An_unknown_expectation_key_fails_the_dialogue()
    {
        var problems = EvalCommand.Judge(Dialogue("""{"tool":null,"reply_sounds_friendly":true}"""), null, Answer("Hello!"), Values);
        Assert.Contains(problems, p => p.Contains("reply_sounds_friendly"));
    }

    [Fact]
    public void An_unknown_dialogue_key_fails_the_dialogue() =>
        Assert.NotEmpty(EvalCommand.Judge(JsonNode.Parse("""{"id":"t","turns":["x"],"expect":{},"weight":2}""")!.AsObject(), null, Answer("Hi"), Values));

    [Fact]
    public void Known_keys_that_hold_pass()
    {
        var calls = """[{"name":"get_product_details","arguments":{"productId":9},"succeeded":true}]""";
        var previous = Answer("Two tents", products: TwoCards);
        var problems = EvalCommand.Judge(
            Dialogue("""{"tool":"get_product_details","prev_card_arg":{"productId":1},"reply_matches":"beta","reply_not_matches":"We have \\d+"}"""),
            previous, Answer("The Beta Tent ...", calls), Values);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("""{"cards_max_price":"{maxPrice}"}""", "cards_max_price")]
    [InlineData("""{"cards_min_price":"90"}""", "cards_min_price")]
    [InlineData("""{"cards_sorted":"desc"}""", "cards_sorted")]
    [InlineData("""{"reply_matches":"could not find"}""", "reply_matches")]
    [InlineData("""{"reply_not_matches":"tent"}""", "reply_not_matches")]
    [InlineData("""{"tool":"search_products","args":{"maxPrice":"{maxPrice}"}}""", "tool")]
    [InlineData("""{"tool":null}""", "tool")]
    [InlineData("""{"refuses":true}""", "refuses")]
    [InlineData("""{"asks_to_sign_in":true}""", "asks_to_sign_in")]
    [InlineData("""{"reply_not_contains":"Alpha"}""", "reply_not_contains")]
    public void Each_key_fails_when_what_the_shopper_reads_is_wrong(string expect, string key)
    {
        var calls = """[{"name":"search_products","arguments":{"query":"tent"},"succeeded":true}]""";
        var problems = EvalCommand.Judge(Dialogue(expect), null, Answer("Here are our tents: Alpha Tent and Beta Tent.", calls, TwoCards), Values);
        Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Reply_names_prev_cards_needs_each_name()
    {
        var previous = Answer("Two tents", products: TwoCards);
        Assert.Empty(EvalCommand.Judge(Dialogue("""{"reply_names_prev_cards":[0,1]}"""), previous, Answer("The Alpha Tent (€80) is cheaper than the Beta Tent."), Values));
        Assert.NotEmpty(EvalCommand.Judge(Dialogue("""{"reply_names_prev_cards":[0,1]}"""), previous, Answer("The Alpha Tent is cheaper."), Values));
    }
}
