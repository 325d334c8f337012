using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ECommerce.IntegrationTests.Infrastructure;
using Npgsql;
using static ECommerce.IntegrationTests.Identity.IdentityClient;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>One sign-in at OrderingApi, trusted by every service: the same key ring, read from PostgreSQL.</summary>
[Collection(AppCollection.Name)]
public sealed class TokenTrustTests(AppFixture fixture)
{
    private static readonly string[] ApiServices = ["ordering-api", "catalog-api", "forecast-worker", "assistant-api"];

    private readonly IdentityClient _client = new(fixture.App);

    [Fact]
    public async Task A_token_issued_by_ordering_api_is_accepted_by_every_service_with_the_callers_id_and_roles()
    {
        var customer = await _client.NewCustomerAsync();

        foreach (var service in ApiServices)
        {
            using var response = await _client.SendAsync(service, HttpMethod.Get, "/api/auth/me", customer.Tokens.AccessToken);
            await ExpectAsync(HttpStatusCode.OK, response);
            var caller = await ReadJsonAsync(response);
            Assert.Equal("user", caller.GetProperty("kind").GetString());
            Assert.Equal(customer.Id, caller.GetProperty("id").GetString());
            Assert.Equal(customer.Email, caller.GetProperty("name").GetString());
            Assert.Equal(["Customer"], caller.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }
    }

    [Fact]
    public async Task Missing_tampered_and_expired_tokens_are_refused_everywhere()
    {
        var customer = await _client.NewCustomerAsync();
        using var keyRing = new KeyRingAccess(fixture.App);
        var expired = keyRing.IssueAccessToken(customer.Id, ["Customer"], DateTimeOffset.UtcNow.AddMinutes(-1));
        var stillValid = keyRing.IssueAccessToken(customer.Id, ["Customer"], DateTimeOffset.UtcNow.AddMinutes(5));

        foreach (var service in ApiServices)
        {
            foreach (var (what, token) in new[] { ("missing", null), ("tampered", Tamper(customer.Tokens.AccessToken)), ("expired", expired), ("the refresh token", customer.Tokens.RefreshToken) })
            {
                using var response = await _client.SendAsync(service, HttpMethod.Get, "/api/auth/me", token);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{service} with a {what} token: {response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
            // The same key ring, read by one more process (this test): its tokens are good everywhere.
            using var fromTestProcess = await _client.SendAsync(service, HttpMethod.Get, "/api/auth/me", stillValid);
            await ExpectAsync(HttpStatusCode.OK, fromTestProcess);
        }
    }

    [Fact]
    public async Task Every_service_shares_one_key()
    {
        await using var connection = new NpgsqlConnection(fixture.App.GetConnectionString("keyringdb"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys WHERE friendly_name LIKE 'key-%'", connection);

        Assert.Equal(1L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Tokens_keep_working_while_ordering_api_is_down_and_after_it_restarts()
    {
        var customer = await _client.NewCustomerAsync();
        var app = fixture.App;

        await app.StopResourceAsync("ordering-api");
        try
        {
            // The other services check tokens themselves: the issuer being down changes nothing for them.
            using var catalog = await _client.SendAsync("catalog-api", HttpMethod.Get, "/api/auth/me", customer.Tokens.AccessToken);
            await ExpectAsync(HttpStatusCode.OK, catalog);
        }
        finally
        {
            await app.StartResourceAsync("ordering-api");
        }
        await app.WaitForStateAsync("ordering-api", ResourceState.Healthy, TimeSpan.FromSeconds(90));

        using (var profile = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/profile", customer.Tokens.AccessToken))
        {
            await ExpectAsync(HttpStatusCode.OK, profile);
        }
        var refreshed = await _client.RefreshAsync(customer.Tokens.RefreshToken);
        foreach (var service in ApiServices)
        {
            using var response = await _client.SendAsync(service, HttpMethod.Get, "/api/auth/me", refreshed.AccessToken);
            await ExpectAsync(HttpStatusCode.OK, response);
        }
    }

    [Fact]
    public async Task Two_ordering_api_instances_side_by_side_accept_each_others_tokens()
    {
        await using var second = await SecondInstance.StartAsync(fixture.App, "ordering-api");
        var email = NewEmail();
        await _client.RegisterAsync(email);

        // Signed in at the second instance, served by the first; refreshed at the first, served by the second.
        var cancel = TestContext.Current.CancellationToken;
        using var login = await second.Client.PostAsJsonAsync("/api/identity/login", new { email, password = StrongPassword }, cancel);
        await ExpectAsync(HttpStatusCode.OK, login);
        var tokens = (await login.Content.ReadFromJsonAsync<Tokens>(cancel))!;

        using (var profile = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/profile", tokens.AccessToken))
        {
            await ExpectAsync(HttpStatusCode.OK, profile);
        }
        var refreshed = await _client.RefreshAsync(tokens.RefreshToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/profile");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.AccessToken);
        using var fromSecond = await second.Client.SendAsync(request, cancel);
        await ExpectAsync(HttpStatusCode.OK, fromSecond);
    }

    /// <summary>The same token with one character in the middle changed (still valid base64url, so only the crypto can tell).</summary>
    private static string Tamper(string token)
    {
        var chars = token.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
