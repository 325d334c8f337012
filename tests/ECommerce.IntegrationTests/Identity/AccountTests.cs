using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Infrastructure;
using static ECommerce.IntegrationTests.Identity.IdentityClient;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>A customer's own account, through OrderingApi, on the whole app.</summary>
[Collection(AppCollection.Name)]
public sealed class AccountTests(AppFixture fixture)
{
    private readonly IdentityClient _client = new(fixture.App);

    [Fact]
    public async Task Register_log_in_edit_profile_change_password_and_log_in_with_the_new_one()
    {
        var email = NewEmail();
        var id = await _client.RegisterAsync(email, name: "Sam Summit");
        var tokens = await _client.LoginAsync(email);
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.InRange(tokens.ExpiresIn, 60, 3600);

        using (var profile = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/profile", tokens.AccessToken))
        {
            await ExpectAsync(HttpStatusCode.OK, profile);
            var json = await ReadJsonAsync(profile);
            Assert.Equal(id, json.GetProperty("id").GetString());
            Assert.Equal(email, json.GetProperty("email").GetString());
            Assert.Equal("Sam Summit", json.GetProperty("name").GetString());
            Assert.Equal(["Customer"], json.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(JsonValueKind.Null, json.GetProperty("defaultShippingAddress").ValueKind);
        }

        var address = new { fullName = "Sam Summit", line1 = "1 Ridge Road", line2 = "Cabin 4", city = "Keswick", postalCode = "CA12 5DJ", country = "GB" };
        using (var update = await _client.SendAsync("ordering-api", HttpMethod.Put, "/api/identity/profile", tokens.AccessToken,
            new { name = "  Sam S.  ", phoneNumber = "+44 17687 72645", defaultShippingAddress = address, defaultBillingAddress = address with { line2 = "" } }))
        {
            await ExpectAsync(HttpStatusCode.OK, update);
        }
        using (var profile = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/profile", tokens.AccessToken))
        {
            var json = await ReadJsonAsync(profile);
            Assert.Equal("Sam S.", json.GetProperty("name").GetString());
            Assert.Equal("+44 17687 72645", json.GetProperty("phoneNumber").GetString());
            Assert.Equal("Keswick", json.GetProperty("defaultShippingAddress").GetProperty("city").GetString());
            Assert.Equal("Cabin 4", json.GetProperty("defaultShippingAddress").GetProperty("line2").GetString());
            Assert.Equal(JsonValueKind.Null, json.GetProperty("defaultBillingAddress").GetProperty("line2").ValueKind);
        }

        const string newPassword = "Summit-Push-2027";
        Tokens afterChange;
        using (var change = await _client.PostAsync("/api/identity/change-password",
            new { currentPassword = StrongPassword, newPassword }, tokens.AccessToken))
        {
            await ExpectAsync(HttpStatusCode.OK, change);
            afterChange = (await ReadJsonAsync(change)).Deserialize<Tokens>(JsonSerializerOptions.Web)!;
        }

        // The old password is refused, the new one works; the sign-in from before the change has ended, the new one goes on.
        using (var old = await _client.PostAsync("/api/identity/login", new { email, password = StrongPassword }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
        await _client.LoginAsync(email, newPassword);
        using (var refreshOld = await _client.PostAsync("/api/identity/refresh", new { refreshToken = tokens.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refreshOld.StatusCode);
        }
        await _client.RefreshAsync(afterChange.RefreshToken);
    }

    [Fact]
    public async Task Register_with_bad_input_answers_400_with_the_reason_per_field()
    {
        var weak = await ValidationErrorsAsync(await _client.PostAsync("/api/identity/register", new { email = "not-an-email", password = "short" }));
        Assert.Equal(["This is not a valid email address."], weak["email"]);
        Assert.Contains(weak["password"], m => m.Contains("at least 8 characters", StringComparison.Ordinal));
        Assert.Contains(weak["password"], m => m.Contains("uppercase", StringComparison.Ordinal));

        var email = NewEmail();
        await _client.RegisterAsync(email);
        var taken = await ValidationErrorsAsync(await _client.PostAsync("/api/identity/register", new { email = email.ToUpperInvariant(), password = StrongPassword }));
        Assert.Equal(["This email is already registered."], taken["email"]);
        Assert.False(taken.ContainsKey("password"));

        var missing = await ValidationErrorsAsync(await _client.PostAsync("/api/identity/register", new { name = new string('x', 200) }));
        Assert.Equal(["email", "name", "password"], missing.Keys.Order());
    }

    [Fact]
    public async Task Profile_updates_with_bad_input_answer_400_per_field_and_change_nothing()
    {
        var customer = await _client.NewCustomerAsync("Kim");

        using var response = await _client.SendAsync("ordering-api", HttpMethod.Put, "/api/identity/profile", customer.Tokens.AccessToken,
            new { name = "Kim", phoneNumber = "call me maybe", defaultShippingAddress = new { fullName = "Kim", city = "Oslo" } });
        var errors = await ValidationErrorsAsync(response);

        Assert.Equal(["defaultShippingAddress.country", "defaultShippingAddress.line1", "defaultShippingAddress.postalCode", "phoneNumber"], errors.Keys.Order());
        using var profile = await _client.SendAsync("ordering-api", HttpMethod.Get, "/api/identity/profile", customer.Tokens.AccessToken);
        Assert.Equal(JsonValueKind.Null, (await ReadJsonAsync(profile)).GetProperty("phoneNumber").ValueKind);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_401()
    {
        var email = NewEmail();
        await _client.RegisterAsync(email);

        using var wrongPassword = await _client.PostAsync("/api/identity/login", new { email, password = "Wrong-Password-1" });
        using var unknownEmail = await _client.PostAsync("/api/identity/login", new { email = NewEmail(), password = StrongPassword });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        var first = await ReadJsonAsync(wrongPassword);
        var second = await ReadJsonAsync(unknownEmail);
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_reusing_it_ends_the_sign_in()
    {
        var customer = await _client.NewCustomerAsync();

        var second = await _client.RefreshAsync(customer.Tokens.RefreshToken);
        Assert.NotEqual(customer.Tokens.AccessToken, second.AccessToken);

        // The first refresh token again: someone may have copied it, so the whole sign-in ends.
        using (var reused = await _client.PostAsync("/api/identity/refresh", new { refreshToken = customer.Tokens.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        }
        using var afterReuse = await _client.PostAsync("/api/identity/refresh", new { refreshToken = second.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, afterReuse.StatusCode);
    }

    [Fact]
    public async Task Logout_ends_that_sign_in_only()
    {
        var customer = await _client.NewCustomerAsync();
        var otherDevice = await _client.LoginAsync(customer.Email);

        using (var logout = await _client.PostAsync("/api/identity/logout", new { }, customer.Tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using (var refresh = await _client.PostAsync("/api/identity/refresh", new { refreshToken = customer.Tokens.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        }

        // Its access token is refused by every service at once, not only once it expires; the other sign-in goes on.
        foreach (var service in new[] { "ordering-api", "catalog-api", "assistant-api" })
        {
            await Eventually.ReturnsAsync(() => MeAsync(service, customer.Tokens.AccessToken), status => status == HttpStatusCode.Unauthorized,
                TimeSpan.FromSeconds(5), $"{service} to refuse the token of the ended sign-in");
            Assert.Equal(HttpStatusCode.OK, await MeAsync(service, otherDevice.AccessToken));
        }
        // A service instance that starts later refuses it too.
        await using (var later = await SecondInstance.StartAsync(fixture.App, "catalog-api"))
        {
            await Eventually.ReturnsAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", customer.Tokens.AccessToken);
                using var response = await later.Client.SendAsync(request, TestContext.Current.CancellationToken);
                return response.StatusCode;
            }, status => status == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "a catalog-api started after the logout to refuse the token");
        }
        await _client.RefreshAsync(otherDevice.RefreshToken);
    }

    private async Task<HttpStatusCode> MeAsync(string service, string token)
    {
        using var response = await _client.SendAsync(service, HttpMethod.Get, "/api/auth/me", token);
        return response.StatusCode;
    }

    [Fact]
    public async Task Account_endpoints_need_a_token_and_a_garbage_refresh_token_is_refused()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/identity/profile"), (HttpMethod.Put, "/api/identity/profile"),
                     (HttpMethod.Post, "/api/identity/logout"), (HttpMethod.Post, "/api/identity/change-password") })
        {
            using var response = await _client.SendAsync("ordering-api", method, path, token: null, body: new { });
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {response.StatusCode}");
        }
        using var garbage = await _client.PostAsync("/api/identity/refresh", new { refreshToken = "bm90LWEtdG9rZW4" });
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        Assert.Equal("application/problem+json", garbage.Content.Headers.ContentType?.MediaType);
    }
}
