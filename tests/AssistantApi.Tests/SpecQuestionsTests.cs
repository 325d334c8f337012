using AssistantApi.Engines.Local;
using AssistantApi.Model;
using AssistantApi.Services;

namespace AssistantApi.Tests;

/// <summary>The local engine's spec questions: which tool, with what, and replies that state the values.</summary>
public sealed class SpecQuestionsTests
{
    private static readonly HashSet<string> Tools = ["search_products", "search_by_specs", "compare_products", "get_product_details"];
    private readonly CatalogSnapshot _catalog = TestCatalog.Create();

    private Plan? PlanFor(string message, Conversation? conversation = null, string intent = "search") =>
        SpecQuestions.Plan(EntityExtractor.Analyze(message, _catalog), _catalog, conversation ?? new Conversation { Id = "t" }, Tools, () => intent);

    [Theory]
    [InlineData("a tent for 4 people", 4)]
    [InlineData("a 3-person tent", 3)]
    [InlineData("something that sleeps two persons", 2)]
    [InlineData("a tent for the family", null)]
    public void A_capacity_is_read_from_the_words(string message, int? persons) =>
        Assert.Equal(persons, SpecQuestions.Persons(Text.Fold(message)));

    [Fact]
    public void A_light_tent_for_4_people_under_300_searches_by_specs()
    {
        var plan = PlanFor("a light tent for 4 people under 300 euros");
        Assert.Equal("search_by_specs", plan?.Tool);
        Assert.Equal("Tents", plan!.Arguments!["category"]);
        Assert.Equal(4, plan.Arguments["persons"]);
        Assert.Equal("light", plan.Arguments["sortBy"]);
        Assert.Equal(300m, plan.Arguments["maxPrice"]);
    }

    [Theory]
    [InlineData("do you have a waterproof rain jacket?")]
    [InlineData("show me tents under 200")]
    public void Plain_searches_stay_word_searches(string message) => Assert.Null(PlanFor(message));

    [Fact]
    public void Which_of_these_is_warmest_ranks_the_last_results()
    {
        var conversation = new Conversation { Id = "t", LastResults = [new(3, "a"), new(1, "b"), new(2, "c")] };
        var plan = PlanFor("which of these is warmest?", conversation, "product_details");
        Assert.Equal("compare_products", plan?.Tool);
        Assert.Equal(new[] { 3, 1, 2 }, plan!.Arguments!["productIds"]);
        Assert.Equal("warmest", plan.Arguments["quality"]);
        // Without results to rank, no plan of ours.
        Assert.Null(PlanFor("which of these is warmest?", new Conversation { Id = "t" }, "product_details"));
    }

    [Fact]
    public void Two_products_named_to_compare_are_found_by_their_model_and_number()
    {
        var plan = PlanFor("compare the Talus 2 and the Cinder 6", intent: "product_details");
        Assert.Equal("compare_products", plan?.Tool);
        Assert.Equal(new[] { 1, 2 }, plan!.Arguments!["productIds"]);
    }

    [Fact]
    public void Replies_state_the_values_they_rest_on()
    {
        ProductHit Hit(int id, string name, decimal price) => new(id, name, "B", "Tents", price, price, true, "s", "u");
        var search = SpecQuestions.SearchReply(new SpecSearchResult(1, "Tents", ["sleeping capacity 4 persons or more", "lightest first (packed weight)"], [],
            [new SpecHit(Hit(1, "Aspen 4 Family Tent", 229.99m), [new("weight", "Packed weight", "2,220 g", 2220), new("capacity", "Sleeping capacity", "4 persons", 4)])]));
        Assert.Contains("Aspen 4 Family Tent, €229.99: packed weight 2,220 g, sleeping capacity 4 persons", search);
        Assert.Contains("tents, sleeping capacity 4 persons or more, lightest first", search);

        var ranked = SpecQuestions.CompareReply(new SpecComparison(
            [new SpecHit(Hit(1, "Fjord", 279.99m), [new("comfort-temperature", "Comfort temperature", "-16 °C", -16)]),
             new SpecHit(Hit(2, "Skyline", 129.99m), [new("comfort-temperature", "Comfort temperature", "5 °C", 5)])],
            ["Comfort temperature"], new SpecBest(1, "Fjord", "Comfort temperature", "-16 °C", "Warmest first"), null));
        Assert.Equal("The warmest is the Fjord: comfort temperature -16 °C. The others: Skyline 5 °C.", ranked);
    }
}
