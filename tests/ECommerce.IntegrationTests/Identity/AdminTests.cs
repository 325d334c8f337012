using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;
using static ECommerce.IntegrationTests.Identity.IdentityClient;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>The seeded admin and the admin-only user management.</summary>
[Collection(AppCollection.Name)]
public sealed class AdminTests(AppFixture fixture)
{
    private readonly IdentityClient _client = new(fixture.App);

    [Fact]
    public async Task The_first_admin_is_seeded_from_the_apphosts_generated_credentials()
    {
        var admin = await _client.LoginAsAdminAsync();

        using var profile = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/profile", admin.AccessToken);
        await ExpectAsync(HttpStatusCode.OK, profile);
        var json = await ReadJsonAsync(profile);
        Assert.Equal(fixture.App.GetCredentials("admin-credentials").Email, json.GetProperty("email").GetString());
        Assert.Equal(["Admin", "Customer"], json.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_customer_gets_403_on_admin_endpoints_and_an_admin_gets_200()
    {
        var customer = await _client.NewCustomerAsync();
        var admin = await _client.LoginAsAdminAsync();

        using (var list = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/users", customer.Tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        }
        using (var roles = await _client.SendAsync("ordering-api", HttpMethod.Put, $"/api/identity/users/{customer.Id}/roles", customer.Tokens.AccessToken, new { roles = new[] { "Admin" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, roles.StatusCode);
        }
        using (var anonymous = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/users"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var found = await _client.SendAsync("ordering-api", HttpMethod.Get, $"/api/identity/users?search={Uri.EscapeDataString(customer.Email)}", admin.AccessToken);
        await ExpectAsync(HttpStatusCode.OK, found);
        var page = await ReadJsonAsync(found);
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        var user = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(customer.Id, user.GetProperty("id").GetString());
        Assert.Equal(["Customer"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task An_admin_grants_and_revokes_admin_and_the_users_next_tokens_carry_it()
    {
        var customer = await _client.NewCustomerAsync();
        var admin = await _client.LoginAsAdminAsync();

        var granted = await SetRolesAsync(admin.AccessToken, customer.Id, "Admin");
        Assert.Equal(["Admin", "Customer"], Roles(granted));
        var promoted = await _client.RefreshAsync(customer.Tokens.RefreshToken);
        using (var list = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/users?pageSize=5", promoted.AccessToken))
        {
            await ExpectAsync(HttpStatusCode.OK, list);
        }
        using (var me = await _client.SendAsync("forecast-worker", HttpMethod.Get, "/api/auth/me", promoted.AccessToken))
        {
            Assert.Equal(["Admin", "Customer"], (await ReadJsonAsync(me)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }

        var revoked = await SetRolesAsync(admin.AccessToken, customer.Id);
        Assert.Equal(["Customer"], Roles(revoked));
        // The token that carries Admin stops working in every service at once; the sign-in goes on with a refresh.
        foreach (var service in new[] { "ordering-api", "catalog-api", "assistant-api" })
        {
            await Eventually.ReturnsAsync(async () =>
            {
                using var me = await _client.SendAsync(service, HttpMethod.Get, "/api/auth/me", promoted.AccessToken);
                return me.StatusCode;
            }, status => status == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5), $"{service} to refuse the token with the revoked role");
        }
        using (var adminOnly = await _client.SendAsync("catalog-api", HttpMethod.Get, "/api/stock/low", promoted.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, adminOnly.StatusCode);
        }
        var demoted = await _client.RefreshAsync(promoted.RefreshToken);
        using (var me = await _client.SendAsync("catalog-api", HttpMethod.Get, "/api/auth/me", demoted.AccessToken))
        {
            Assert.Equal(["Customer"], (await ReadJsonAsync(me)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }
        using var denied = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/users", demoted.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Role_changes_with_bad_input_are_refused_and_the_last_admin_stays()
    {
        var admin = await _client.LoginAsAdminAsync();
        var adminId = (await ReadJsonAsync(await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/profile", admin.AccessToken)))
            .GetProperty("id").GetString()!;

        var unknownRole = await ValidationErrorsAsync(await _client.SendAsync("ordering-api", HttpMethod.Put,
            $"/api/identity/users/{adminId}/roles", admin.AccessToken, new { roles = new[] { "Superuser" } }));
        Assert.Contains("Superuser", Assert.Single(unknownRole["roles"]));
        using (var unknownUser = await _client.SendAsync("ordering-api", HttpMethod.Put, "/api/identity/users/no-such-user/roles", admin.AccessToken, new { roles = Array.Empty<string>() }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknownUser.StatusCode);
        }
        var badPage = await ValidationErrorsAsync(await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/users?page=0&pageSize=10000", admin.AccessToken));
        Assert.Equal(["page", "pageSize"], badPage.Keys.Order());

        // Only if the seeded admin is the only one (other tests give Admin back), revoking its own Admin must be refused.
        using var admins = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/users?pageSize=100", admin.AccessToken);
        var adminCount = (await ReadJsonAsync(admins)).GetProperty("items").EnumerateArray()
            .Count(u => u.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "Admin"));
        Assert.SkipWhen(adminCount > 1, "another admin exists, so this one is not the last");
        using var last = await _client.SendAsync("ordering-api", HttpMethod.Put, $"/api/identity/users/{adminId}/roles", admin.AccessToken, new { roles = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonElement> SetRolesAsync(string adminToken, string userId, params string[] roles)
    {
        using var response = await _client.SendAsync("ordering-api", HttpMethod.Put, $"/api/identity/users/{userId}/roles", adminToken, new { roles });
        await ExpectAsync(HttpStatusCode.OK, response);
        return await ReadJsonAsync(response);
    }

    private static IEnumerable<string?> Roles(JsonElement user) => user.GetProperty("roles").EnumerateArray().Select(r => r.GetString());
}
