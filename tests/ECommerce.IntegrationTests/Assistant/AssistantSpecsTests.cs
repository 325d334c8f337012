using System.Globalization;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;
using static ECommerce.IntegrationTests.Assistant.AssistantClient;

namespace ECommerce.IntegrationTests.Assistant;

/// <summary>
/// The assistant's local engine with product specifications: searching a category by its sheet, ranking the products
/// just shown by a quality, comparing products named; every reply states the values, checked against the catalog.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AssistantSpecsTests(AppFixture fixture)
{
    private readonly AssistantClient _assistant = new(fixture.App);

    private sealed record Sheet(int Id, string Name, decimal Price, Dictionary<string, JsonElement> Specs)
    {
        public decimal Number(string key) => Specs[key].GetProperty("number").GetDecimal();

        public string Display(string key) => Specs[key].GetProperty("display").GetString()!;
    }

    private async Task<Sheet> SheetAsync(int id)
    {
        var detail = await _assistant.GetAsync("catalog-api", $"/api/catalog/products/{id}");
        return new Sheet(id, detail.GetProperty("name").GetString()!, detail.GetProperty("priceFrom").GetDecimal(),
            detail.GetProperty("specs").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!, s => s));
    }

    private async Task<List<Sheet>> CategoryAsync(string category)
    {
        var page = await _assistant.GetAsync("catalog-api", $"/api/catalog/products?category={category}&pageSize=100");
        return [.. await Task.WhenAll(page.GetProperty("items").EnumerateArray().Select(i => SheetAsync(i.GetProperty("id").GetInt32())))];
    }

    private static List<int> CardIds(JsonElement answer) =>
        [.. answer.GetProperty("products").EnumerateArray().Select(c => c.GetProperty("productId").GetInt32())];

    [Fact]
    public async Task A_light_tent_for_4_people_under_300_euros_applies_capacity_weight_and_price_and_states_the_values()
    {
        var answer = await _assistant.SayAsync("a light tent for 4 people under 300 euros");

        var call = Call(answer, "search_by_specs");
        Assert.True(call.GetProperty("succeeded").GetBoolean());
        var arguments = call.GetProperty("arguments");
        Assert.Equal(4, arguments.GetProperty("persons").GetInt32());
        Assert.Equal(300m, arguments.GetProperty("maxPrice").GetDecimal());

        var expected = (await CategoryAsync("tents")).Where(t => t.Number("capacity") >= 4 && t.Price <= 300m)
            .OrderBy(t => t.Number("weight")).ThenBy(t => t.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(t => t.Id), CardIds(answer));
        var reply = Reply(answer);
        Assert.Contains("lightest first", reply);
        Assert.Contains("4 persons or more", reply);
        Assert.Contains("up to €300", reply);
        foreach (var tent in expected)
        {
            Assert.Contains($"{tent.Name}, €{tent.Price.ToString("0.00", CultureInfo.InvariantCulture)}: packed weight {tent.Display("weight")}, sleeping capacity {tent.Display("capacity")}", reply);
        }
        Assert.DoesNotContain("can't filter", reply);
    }

    [Fact]
    public async Task Which_of_these_is_warmest_ranks_the_products_just_shown_by_their_comfort_temperature()
    {
        var first = await _assistant.SayAsync("show me sleeping bags");
        var shown = CardIds(first);
        Assert.True(shown.Count >= 2, first.ToString());
        var conversation = first.GetProperty("conversationId").GetString();

        var answer = await _assistant.SayAsync("which of these is warmest?", conversationId: conversation);

        var call = Call(answer, "compare_products");
        Assert.Equal(shown, call.GetProperty("arguments").GetProperty("productIds").EnumerateArray().Select(i => i.GetInt32()));
        var bags = await Task.WhenAll(shown.Select(SheetAsync));
        var warmest = bags.OrderBy(b => b.Number("comfort-temperature")).ThenBy(b => shown.IndexOf(b.Id)).First();
        var reply = Reply(answer);
        Assert.StartsWith($"The warmest is the {warmest.Name}: comfort temperature {warmest.Display("comfort-temperature")}.", reply);
        Assert.All(bags.Where(b => b.Id != warmest.Id), b => Assert.Contains($"{b.Name} {b.Display("comfort-temperature")}", reply));
    }

    [Fact]
    public async Task Compare_the_Quartz_3_and_the_Aspen_4_sets_their_sheets_side_by_side()
    {
        var tents = await CategoryAsync("tents");
        var quartz = tents.Single(t => t.Name.Contains("Quartz 3", StringComparison.Ordinal));
        var aspen = tents.Single(t => t.Name.Contains("Aspen 4", StringComparison.Ordinal));

        var answer = await _assistant.SayAsync("compare the Quartz 3 and the Aspen 4");

        var call = Call(answer, "compare_products");
        Assert.Equal([quartz.Id, aspen.Id], call.GetProperty("arguments").GetProperty("productIds").EnumerateArray().Select(i => i.GetInt32()));
        var reply = Reply(answer);
        foreach (var tent in new[] { quartz, aspen })
        {
            Assert.Contains($"- {tent.Name}, €{tent.Price.ToString("0.00", CultureInfo.InvariantCulture)}: sleeping capacity {tent.Display("capacity")}, packed weight {tent.Display("weight")}", reply);
        }
        Assert.Contains("They differ in sleeping capacity, packed weight", reply);
        Assert.Equal([quartz.Id, aspen.Id], CardIds(answer));
    }
}
