using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using static ECommerce.IntegrationTests.Assistant.AssistantClient;

namespace ECommerce.IntegrationTests.Assistant;

/// <summary>The assistant adds to and lists a signed-in customer's favourites (as them), and tells anonymous shoppers to sign in.</summary>
[Collection(AppCollection.Name)]
public sealed class AssistantFavouritesTests(AppFixture fixture)
{
    private readonly AssistantClient _assistant = new(fixture.App);

    [Fact]
    public async Task A_customer_adds_a_product_to_their_favourites_and_lists_them_through_the_assistant()
    {
        var product = await _assistant.ProductWithColoursAsync(skip: 2);
        var (id, name) = (product.GetProperty("id").GetInt32(), product.GetProperty("name").GetString()!);
        var (_, _, tokens) = await _assistant.Identity.NewCustomerAsync();

        var added = await _assistant.SayAsync($"add the {name} to my favourites", tokens.AccessToken);
        var call = Call(added, "add_favourite");
        Assert.True(call.GetProperty("succeeded").GetBoolean());
        Assert.Equal(id, call.GetProperty("arguments").GetProperty("productId").GetInt32());
        Assert.Contains($"added the {name}", Reply(added));
        Assert.Equal(id, Assert.Single(added.GetProperty("products").EnumerateArray()).GetProperty("productId").GetInt32());

        using var ids = await _assistant.Identity.SendAsync("ordering-api", HttpMethod.Get, "/api/favourites/ids", tokens.AccessToken);
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, ids);
        Assert.Equal([id], (await IdentityClient.ReadJsonAsync(ids)).GetProperty("productIds").EnumerateArray().Select(e => e.GetInt32()));

        var listed = await _assistant.SayAsync("what's on my wishlist?", tokens.AccessToken, added.GetProperty("conversationId").GetString());
        Assert.True(Call(listed, "list_favourites").GetProperty("succeeded").GetBoolean());
        Assert.Contains("You have 1 favourite:", Reply(listed));
        Assert.Contains(name, Reply(listed));

        var again = await _assistant.SayAsync("save it to my favourites", tokens.AccessToken, added.GetProperty("conversationId").GetString());
        Assert.Contains($"{name} is already in your favourites", Reply(again));
    }

    [Fact]
    public async Task An_anonymous_shopper_is_told_to_sign_in_and_that_the_browsers_favourites_are_out_of_reach()
    {
        var product = await _assistant.ProductWithColoursAsync(skip: 2);
        foreach (var message in new[] { $"add the {product.GetProperty("name").GetString()} to my favourites", "what's on my wishlist?" })
        {
            var answer = await _assistant.SayAsync(message);
            Assert.Empty(Calls(answer));
            Assert.Contains("sign in", Reply(answer));
            Assert.Contains("browser", Reply(answer));
        }
    }
}
