using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Assistant;

/// <summary>Talks to the assistant as the storefront does, and sets up what a dialogue needs (a product, an order).</summary>
public sealed class AssistantClient(TestApp app)
{
    public const string Service = "assistant-api";

    public IdentityClient Identity { get; } = new(app);

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async Task<(HttpStatusCode Status, JsonElement Body)> ChatAsync(
        string message, string? token = null, string? conversationId = null, HttpClient? client = null, int? productPage = null, string? cartId = null)
    {
        var context = productPage is null ? null : new { productId = productPage };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/assistant/chat") { Content = JsonContent.Create(new { conversationId, message, context }) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (cartId is not null)
        {
            request.Headers.Add("X-Cart-Id", cartId);
        }
        using var response = await (client ?? app.CreateHttpClient(Service)).SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A turn that must succeed.</summary>
    public async Task<JsonElement> SayAsync(
        string message, string? token = null, string? conversationId = null, HttpClient? client = null, int? productPage = null, string? cartId = null)
    {
        var (status, body) = await ChatAsync(message, token, conversationId, client, productPage, cartId);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {body}");
        return body;
    }

    public static IReadOnlyList<JsonElement> Calls(JsonElement answer) => [.. answer.GetProperty("toolCalls").EnumerateArray()];

    public static JsonElement Call(JsonElement answer, string name) =>
        Calls(answer).FirstOrDefault(c => c.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } call
            ? call
            : throw new Xunit.Sdk.XunitException($"No {name} call in {answer}");

    public static string Reply(JsonElement answer) => answer.GetProperty("reply").GetString()!;

    /// <summary>An in-stock product with colours (and its detail from the catalog, the ground truth).</summary>
    public async Task<JsonElement> ProductWithColoursAsync(int skip = 0)
    {
        var page = await GetAsync("catalog-api", "/api/catalog/products?inStock=true&pageSize=100&sort=name");
        foreach (var item in page.GetProperty("items").EnumerateArray().Skip(skip))
        {
            var detail = await GetAsync("catalog-api", $"/api/catalog/products/{item.GetProperty("id").GetInt32()}");
            if (detail.GetProperty("variants").EnumerateArray().Any(v => v.GetProperty("available").GetInt32() > 2 && v.GetProperty("options").TryGetProperty("Colour", out _)))
            {
                return detail;
            }
        }
        throw new InvalidOperationException("No in-stock product with colours.");
    }

    /// <summary>A variant told apart by colour and size alone, in stock, with its product's name.</summary>
    public async Task<(string Product, int VariantId, string Colour, string Size, decimal Price)> SimpleVariantAsync(int skip = 0)
    {
        var page = await GetAsync("catalog-api", "/api/catalog/products?inStock=true&pageSize=100&sort=name");
        foreach (var item in page.GetProperty("items").EnumerateArray().Skip(skip))
        {
            var detail = await GetAsync("catalog-api", $"/api/catalog/products/{item.GetProperty("id").GetInt32()}");
            foreach (var variant in detail.GetProperty("variants").EnumerateArray())
            {
                var options = variant.GetProperty("options").EnumerateObject().Select(o => o.Name).Order().ToList();
                if (variant.GetProperty("available").GetInt32() > 3 && options.SequenceEqual(["Colour", "Size"]))
                {
                    return (detail.GetProperty("name").GetString()!, variant.GetProperty("id").GetInt32(),
                        variant.GetProperty("options").GetProperty("Colour").GetString()!, variant.GetProperty("options").GetProperty("Size").GetString()!,
                        variant.GetProperty("price").GetDecimal());
                }
            }
        }
        throw new InvalidOperationException("No in-stock variant with just a colour and a size.");
    }

    /// <summary>A new customer with a saved delivery address (what checkout through the assistant uses).</summary>
    public async Task<string> CustomerWithAddressAsync()
    {
        var (_, _, tokens) = await Identity.NewCustomerAsync();
        using var response = await Identity.SendAsync("ordering-api", HttpMethod.Put, "/api/identity/profile", tokens.AccessToken, new
        {
            name = "Ada Shopper",
            defaultShippingAddress = new { fullName = "Ada Shopper", line1 = "Bergweg 1", city = "Munich", postalCode = "80331", country = "DE" },
        });
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, response);
        return tokens.AccessToken;
    }

    public async Task<JsonElement> MyOrdersAsync(string token) => await GetAsync("ordering-api", "/api/orders?page=1&pageSize=20", token);

    /// <summary>Places a card order of one unit of an in-stock variant for that customer; returns the order.</summary>
    public async Task<JsonElement> PlaceOrderAsync(string token)
    {
        var product = await ProductWithColoursAsync(skip: 5);
        var variant = product.GetProperty("variants").EnumerateArray().First(v => v.GetProperty("available").GetInt32() > 2).GetProperty("id").GetInt32();
        using (var add = await Identity.SendAsync("ordering-api", HttpMethod.Post, "/api/cart/items", token, new { variantId = variant, quantity = 1 }))
        {
            await IdentityClient.ExpectAsync(HttpStatusCode.OK, add);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new { fullName = "Ada Shopper", line1 = "Bergweg 1", city = "Munich", postalCode = "80331", country = "DE" },
                paymentMethod = "card",
                cardNumber = "4242424242424242",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        request.Headers.Add("X-Forwarded-For", Identity.Address);
        using var response = await app.CreateHttpClient("ordering-api").SendAsync(request, Cancellation);
        await IdentityClient.ExpectAsync(HttpStatusCode.Created, response);
        return await IdentityClient.ReadJsonAsync(response);
    }

    public Task<JsonElement> GetJsonAsync(string service, string path) => GetAsync(service, path);

    public async Task<JsonElement> GetAsync(string service, string path, string? token = null)
    {
        using var response = await Identity.SendAsync(service, HttpMethod.Get, path, token);
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, response);
        return await IdentityClient.ReadJsonAsync(response);
    }
}
