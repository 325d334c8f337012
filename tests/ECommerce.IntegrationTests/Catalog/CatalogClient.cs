using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Catalog;

/// <summary>A product a test made for itself (so it never depends on, or disturbs, the seeded catalog's stock).</summary>
public sealed record TestProduct(int Id, string Slug, string Name, string Token, IReadOnlyList<int> VariantIds);

/// <summary>
/// Calls catalog-api as its clients do: anonymously (shoppers), as a customer, or as the seeded admin (tokens from
/// ordering-api). Helpers make throw-away products in a category no other test counts on, and archive them afterwards.
/// </summary>
public sealed class CatalogClient(TestApp app)
{
    public const string Service = "catalog-api";

    /// <summary>Test products go here: a leaf category the search tests do not count on.</summary>
    public const string TestCategory = "climbing-hardware";

    private readonly IdentityClient _identity = new(app);
    private string? _adminToken;
    private string? _customerToken;

    public TestApp App => app;

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async Task<string> AdminTokenAsync() => _adminToken ??= (await _identity.LoginAsAdminAsync()).AccessToken;

    public async Task<string> CustomerTokenAsync() => _customerToken ??= (await _identity.NewCustomerAsync()).Tokens.AccessToken;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? body = null) =>
        _identity.SendAsync(Service, method, path, token, body);

    public async Task<HttpResponseMessage> AsAdminAsync(HttpMethod method, string path, object? body = null) =>
        await SendAsync(method, path, await AdminTokenAsync(), body);

    /// <summary>GET as an anonymous shopper; fails the test unless 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, string? token = null)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        await IdentityClient.ExpectAsync(HttpStatusCode.OK, response);
        return await IdentityClient.ReadJsonAsync(response);
    }

    public async Task<JsonElement> AdminJsonAsync(HttpMethod method, string path, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await AsAdminAsync(method, path, body);
        await IdentityClient.ExpectAsync(expected, response);
        return response.Content.Headers.ContentLength == 0 ? default : await IdentityClient.ReadJsonAsync(response);
    }

    public Task<JsonElement> ListAsync(string query) => GetJsonAsync("/api/catalog/products?" + query);

    /// <summary>
    /// A new product with one variant per entry of <paramref name="stock"/> (sizes S, M, L, ... in that order), each
    /// priced <paramref name="price"/>. Its name carries a unique token (with digits, so typo correction leaves it alone)
    /// that a search can use to find it alone.
    /// </summary>
    public async Task<TestProduct> CreateProductAsync(int[] stock, decimal price = 25m, string noun = "Test Carabiner", int reorderPoint = 5)
    {
        var token = "t" + Guid.NewGuid().ToString("N")[..9];
        var sizes = new[] { "S", "M", "L", "XL", "XXL", "XS" }[..stock.Length];
        var brands = await GetJsonAsync("/api/catalog/brands");
        var categories = await GetJsonAsync("/api/catalog/categories");
        var request = new
        {
            name = $"Granite Line {noun} {token}",
            description = "Made by an integration test.",
            brandId = brands.EnumerateArray().First(b => b.GetProperty("slug").GetString() == "granite-line").GetProperty("id").GetInt32(),
            categoryId = FindCategory(categories, TestCategory).GetProperty("id").GetInt32(),
            tags = new[] { "test" },
            options = new[] { new { name = "Size", values = sizes } },
            variants = sizes.Select((size, i) => new { options = new Dictionary<string, string> { ["Size"] = size }, price, onHand = stock[i], reorderPoint }).ToArray(),
        };
        var created = await AdminJsonAsync(HttpMethod.Post, "/api/catalog/products", request, HttpStatusCode.Created);
        return new TestProduct(
            created.GetProperty("id").GetInt32(),
            created.GetProperty("slug").GetString()!,
            created.GetProperty("name").GetString()!,
            token,
            [.. created.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("id").GetInt32())]);
    }

    /// <summary>Takes a test product out of the shop again (its stock history stays, as for any product).</summary>
    public async Task ArchiveAsync(TestProduct product)
    {
        using var response = await AsAdminAsync(HttpMethod.Delete, $"/api/catalog/products/{product.Id}");
        await IdentityClient.ExpectAsync(HttpStatusCode.NoContent, response);
    }

    public async Task<JsonElement> StockAsync(int variantId) => await AdminJsonAsync(HttpMethod.Get, $"/api/stock/variants/{variantId}", null);

    public async Task<HttpResponseMessage> ReserveAsync(string owner, IEnumerable<(int VariantId, int Quantity)> lines, int? expiresInSeconds = null, Guid? id = null) =>
        await AsAdminAsync(HttpMethod.Post, "/api/stock/reservations", new
        {
            id,
            owner,
            lines = lines.Select(l => new { variantId = l.VariantId, quantity = l.Quantity }).ToArray(),
            expiresInSeconds,
        });

    public async Task<Guid> ReserveOkAsync(string owner, IEnumerable<(int VariantId, int Quantity)> lines, int? expiresInSeconds = null)
    {
        using var response = await ReserveAsync(owner, lines, expiresInSeconds);
        await IdentityClient.ExpectAsync(HttpStatusCode.Created, response);
        return (await IdentityClient.ReadJsonAsync(response)).GetProperty("id").GetGuid();
    }

    public static JsonElement FindCategory(JsonElement nodes, string slug)
    {
        foreach (var node in nodes.EnumerateArray())
        {
            if (node.GetProperty("slug").GetString() == slug)
            {
                return node;
            }
            if (FindCategory(node.GetProperty("children"), slug) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }
        }
        return default;
    }

    /// <summary>The slugs of a category and everything under it.</summary>
    public static HashSet<string> Subtree(JsonElement node) =>
        [node.GetProperty("slug").GetString()!, .. node.GetProperty("children").EnumerateArray().SelectMany(Subtree)];

    public static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(HttpResponseMessage response) =>
        await IdentityClient.ValidationErrorsAsync(response);

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
}
