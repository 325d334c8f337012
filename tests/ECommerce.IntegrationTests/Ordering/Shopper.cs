using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Ordering;

/// <summary>
/// One shopper talking to ordering-api as the storefront does: anonymous with a cart id (X-Cart-Id), or signed in
/// with a bearer token. Each shopper has its own client address, so sign-in rate limits never mix between shoppers.
/// <paramref name="orderingApi"/> sends the cart and order calls to another ordering-api instance (sign-in still goes
/// to the app's).
/// </summary>
public sealed class Shopper(TestApp app, HttpClient? orderingApi = null)
{
    public const string Service = "ordering-api";
    public const string GoodCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";

    private readonly IdentityClient _identity = new(app);

    public string? Token { get; private set; }

    public string? UserId { get; private set; }

    public string? Email { get; private set; }

    /// <summary>The anonymous cart id this shopper sends (set from the first answer that names one).</summary>
    public string? CartId { get; set; }

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static object Address(string name = "Alex Walker") => new
    {
        fullName = name,
        line1 = "1 Trail Road",
        line2 = (string?)null,
        city = "Bergen",
        postalCode = "5003",
        country = "Norway",
    };

    /// <summary>Registers and signs in as a new customer.</summary>
    public async Task<Shopper> SignUpAsync()
    {
        var (email, id, tokens) = await _identity.NewCustomerAsync();
        (Email, UserId, Token) = (email, id, tokens.AccessToken);
        return this;
    }

    public async Task<Shopper> SignInAsAdminAsync()
    {
        Token = (await _identity.LoginAsAdminAsync()).AccessToken;
        return this;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? idempotencyKey = null, bool sendCartId = true)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", _identity.Address);
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        if (sendCartId && CartId is not null)
        {
            request.Headers.Add("X-Cart-Id", CartId);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        var response = await (orderingApi ?? app.CreateHttpClient(Service)).SendAsync(request, Cancellation);
        if (Token is null && response.Headers.TryGetValues("X-Cart-Id", out var ids))
        {
            CartId = ids.Single();
        }
        return response;
    }

    public Task<HttpResponseMessage> AddAsync(int variantId, int quantity) =>
        SendAsync(HttpMethod.Post, "/api/cart/items", new { variantId, quantity });

    public async Task<JsonElement> AddOkAsync(int variantId, int quantity)
    {
        using var response = await AddAsync(variantId, quantity);
        return await OkJsonAsync(response);
    }

    public async Task<JsonElement> CartAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/cart");
        return await OkJsonAsync(response);
    }

    public Task<HttpResponseMessage> CheckoutAsync(string? idempotencyKey, string paymentMethod = "card", string? cardNumber = GoodCard, object? shippingAddress = null) =>
        SendAsync(HttpMethod.Post, "/api/orders", new
        {
            shippingAddress = shippingAddress ?? Address(),
            paymentMethod,
            cardNumber = paymentMethod == "card" ? cardNumber : null,
        }, idempotencyKey);

    public async Task<JsonElement> CheckoutOkAsync(string paymentMethod = "card")
    {
        using var response = await CheckoutAsync(Guid.NewGuid().ToString(), paymentMethod);
        await IdentityClient.ExpectAsync(HttpStatusCode.Created, response);
        return await IdentityClient.ReadJsonAsync(response);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        return await OkJsonAsync(response);
    }

    public async Task<JsonElement> PostJsonAsync(string path, object? body = null)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body ?? new { });
        return await OkJsonAsync(response);
    }

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, response);
        return await IdentityClient.ReadJsonAsync(response);
    }

    public static async Task<JsonElement> ProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        await IdentityClient.ExpectAsync(expected, response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await IdentityClient.ReadJsonAsync(response);
    }
}

public static class StockLevels
{
    /// <summary>A variant's stock as the catalog's admin view has it: (on hand, reserved, available).</summary>
    public static async Task<(int OnHand, int Reserved, int Available)> LevelAsync(this CatalogClient catalog, int variantId)
    {
        var stock = await catalog.StockAsync(variantId);
        return (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32());
    }
}
