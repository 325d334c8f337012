using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using ECommerce.IntegrationTests.Ordering;

namespace ECommerce.IntegrationTests.Hardening;

/// <summary>What an outside test found answering 500, each now a clear 4xx naming what was wrong.</summary>
[Collection(HardeningCollection.Name)]
public sealed class BadInputTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);
    private readonly IdentityClient _identity = new(fixture.App);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("brand")]
    [InlineData("category")]
    [InlineData("color")]
    [InlineData("size")]
    [InlineData("q")]
    [InlineData("colour")]
    public async Task A_nul_character_in_a_catalog_filter_is_a_400_naming_it(string filter)
    {
        using var response = await _catalog.SendAsync(HttpMethod.Get, $"/api/catalog/products?{filter}=tent%00x");

        var problem = await ProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(filter, out _), problem.ToString());
    }

    [Fact]
    public async Task A_nul_character_in_a_sign_in_or_a_stock_reason_is_a_400_naming_the_field()
    {
        using (var login = await _identity.PostAsync("/api/identity/login", new { email = "a\0b@example.test", password = "x" }))
        {
            Assert.True((await ProblemAsync(HttpStatusCode.BadRequest, login)).GetProperty("errors").TryGetProperty("email", out _));
        }
        using (var register = await _identity.PostAsync("/api/identity/register", new { email = IdentityClient.NewEmail(), password = IdentityClient.StrongPassword, name = "Nul\0Name" }))
        {
            Assert.True((await ProblemAsync(HttpStatusCode.BadRequest, register)).GetProperty("errors").TryGetProperty("name", out _));
        }
        var product = await _catalog.CreateProductAsync([5]);
        using var adjust = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/variants/{product.VariantIds[0]}/adjustments",
            new { quantity = 1, kind = "receipt", reason = "found\0one" });
        Assert.True((await ProblemAsync(HttpStatusCode.BadRequest, adjust)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(5, (await _catalog.LevelAsync(product.VariantIds[0])).OnHand);
    }

    [Theory]
    [InlineData("application/json; charset=bogus", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=utf-16", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=\"UTF-8\"", HttpStatusCode.Unauthorized)] // UTF-8 spelled otherwise is read: wrong password
    public async Task Json_in_another_charset_than_utf8_is_a_415(string contentType, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/login")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"email\":\"nobody@example.test\",\"password\":\"wrong-password\"}")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("X-Forwarded-For", _identity.Address);

        using var response = await fixture.App.CreateHttpClient("ordering-api").SendAsync(request, Cancellation);

        await ProblemAsync(expected, response);
    }

    [Fact]
    public async Task Nulls_in_a_new_products_lists_and_an_overflowing_stock_adjustment_are_400s()
    {
        var brands = await _catalog.GetJsonAsync("/api/catalog/brands");
        var categories = await _catalog.GetJsonAsync("/api/catalog/categories");
        var product = new Dictionary<string, object?>
        {
            ["name"] = "Null Hunter Tent",
            ["brandId"] = brands[0].GetProperty("id").GetInt32(),
            ["categoryId"] = categories[0].GetProperty("id").GetInt32(),
        };
        foreach (var (field, value) in new (string, object?)[] { ("options", new object?[] { null }), ("variants", new object?[] { null }), ("tags", new object?[] { null }) })
        {
            using var response = await _catalog.AsAdminAsync(HttpMethod.Post, "/api/catalog/products", new Dictionary<string, object?>(product) { [field] = value });
            var problem = await ProblemAsync(HttpStatusCode.BadRequest, response);
            Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith(field, StringComparison.Ordinal));
        }

        var stocked = await _catalog.CreateProductAsync([3]);
        using var overflow = await _catalog.AsAdminAsync(HttpMethod.Post, $"/api/stock/variants/{stocked.VariantIds[0]}/adjustments",
            new { quantity = int.MinValue, kind = "adjustment", reason = "overflow" });
        Assert.True((await ProblemAsync(HttpStatusCode.BadRequest, overflow)).GetProperty("errors").TryGetProperty("quantity", out _));
        Assert.Equal(3, (await _catalog.LevelAsync(stocked.VariantIds[0])).OnHand);
    }

    [Fact]
    public async Task The_same_new_email_registered_five_times_at_once_makes_one_account_and_four_clear_refusals()
    {
        var email = IdentityClient.NewEmail("twin");
        using var start = new SemaphoreSlim(0);
        var attempts = Enumerable.Range(0, 5).Select(async _ =>
        {
            var client = new IdentityClient(fixture.App); // each from its own address: no rate limit in the way
            await start.WaitAsync(Cancellation);
            using var response = await client.PostAsync("/api/identity/register", new { email, password = IdentityClient.StrongPassword });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Cancellation));
        }).ToList();
        start.Release(5);
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("already registered", r.Body, StringComparison.Ordinal);
        });
        await _identity.LoginAsync(email);
    }

    private static async Task<JsonElement> ProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
