using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>The tokens of a sign-in, as <c>POST /api/identity/login</c> answers them.</summary>
public sealed record Tokens(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

/// <summary>
/// Calls the whole app as one client would: every request says it comes from this client's own address
/// (X-Forwarded-For, trusted from loopback like the storefront's), so each test has its own rate-limit budget.
/// </summary>
public sealed class IdentityClient(TestApp app)
{
    private static int s_clients;

    public static string NewEmail(string what = "shopper") => $"{what}-{Guid.NewGuid():N}@example.test";

    public const string StrongPassword = "Trail-Runner-2026";

    /// <summary>A documentation-range IPv6 address per client (never a real one).</summary>
    public string Address { get; } = $"2001:db8::{Interlocked.Increment(ref s_clients):x}";

    public TestApp App => app;

    /// <summary>Sends a request to a service of the app (cancelled with the test).</summary>
    public async Task<HttpResponseMessage> SendAsync(string service, HttpMethod method, string path, string? token = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", Address);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await app.CreateHttpClient(service).SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body, string? token = null) =>
        SendAsync("ordering-api", HttpMethod.Post, path, token, body);

    public async Task<string> RegisterAsync(string email, string password = StrongPassword, string? name = null)
    {
        using var response = await PostAsync("/api/identity/register", new { email, password, name });
        await ExpectAsync(HttpStatusCode.Created, response);
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    public async Task<Tokens> LoginAsync(string email, string password = StrongPassword)
    {
        using var response = await PostAsync("/api/identity/login", new { email, password });
        await ExpectAsync(HttpStatusCode.OK, response);
        return (await response.Content.ReadFromJsonAsync<Tokens>(TestContext.Current.CancellationToken))!;
    }

    public async Task<Tokens> RefreshAsync(string refreshToken)
    {
        using var response = await PostAsync("/api/identity/refresh", new { refreshToken });
        await ExpectAsync(HttpStatusCode.OK, response);
        return (await response.Content.ReadFromJsonAsync<Tokens>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>A new customer, signed in.</summary>
    public async Task<(string Email, string Id, Tokens Tokens)> NewCustomerAsync(string? name = null)
    {
        var email = NewEmail();
        var id = await RegisterAsync(email, name: name);
        return (email, id, await LoginAsync(email));
    }

    public async Task<Tokens> LoginAsAdminAsync()
    {
        var (email, password) = app.GetCredentials("admin-credentials");
        return await LoginAsync(email, password);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

    public static async Task ExpectAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    /// <summary>The field errors of a validation problem (400).</summary>
    public static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(HttpResponseMessage response)
    {
        await ExpectAsync(HttpStatusCode.BadRequest, response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await ReadJsonAsync(response);
        return json.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
    }
}
