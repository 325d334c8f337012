using System.Net;
using ECommerce.IntegrationTests.Infrastructure;
using static ECommerce.IntegrationTests.Identity.IdentityClient;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>Password guessing: lockout per account, a rate limit per client (defaults: 5 failures, 10 requests a minute).</summary>
[Collection(AppCollection.Name)]
public sealed class AbuseTests(AppFixture fixture)
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one_with_the_same_answer()
    {
        var client = new IdentityClient(fixture.App);
        var email = NewEmail();
        await client.RegisterAsync(email);

        string? firstFailure = null;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await client.PostAsync("/api/identity/login", new { email, password = $"Guess-{attempt}-Password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            firstFailure ??= await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        }

        using var right = await client.PostAsync("/api/identity/login", new { email, password = StrongPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        var locked = await ReadJsonAsync(right);
        Assert.Equal("Sign-in failed", locked.GetProperty("title").GetString());
        Assert.Contains("locked", locked.GetProperty("detail").GetString());

        // An admin sees the lock.
        var admin = await new IdentityClient(fixture.App).LoginAsAdminAsync();
        using var users = await client.SendAsync("ordering-api", HttpMethod.Get, $"/api/identity/users?search={Uri.EscapeDataString(email)}", admin.AccessToken);
        var user = Assert.Single((await ReadJsonAsync(users)).GetProperty("items").EnumerateArray());
        Assert.True(user.GetProperty("lockedOutUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Fact]
    public async Task A_client_gets_429_after_ten_credential_requests_a_minute_and_other_clients_do_not()
    {
        var guesser = new IdentityClient(fixture.App);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var response = await guesser.PostAsync("/api/identity/login", new { email = NewEmail("nobody"), password = "Guess-Password-1" });
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"attempt {attempt}: {response.StatusCode}");
        }

        using var limited = await guesser.PostAsync("/api/identity/login", new { email = NewEmail("nobody"), password = "Guess-Password-1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        using var registerToo = await guesser.PostAsync("/api/identity/register", new { email = NewEmail(), password = StrongPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, registerToo.StatusCode);

        using var someoneElse = await new IdentityClient(fixture.App).PostAsync("/api/identity/login", new { email = NewEmail("nobody"), password = "Guess-Password-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, someoneElse.StatusCode);
    }
}
