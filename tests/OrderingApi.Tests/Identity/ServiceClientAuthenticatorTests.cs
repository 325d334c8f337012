using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;
using OrderingApi.Services;

namespace OrderingApi.Tests.Identity;

public sealed class ServiceClientAuthenticatorTests
{
    private static ServiceClientAuthenticator Authenticator(Dictionary<string, ServiceClientSettings> clients) =>
        new(new StaticMonitor<Dictionary<string, ServiceClientSettings>>(clients));

    private static readonly Dictionary<string, ServiceClientSettings> Clients = new()
    {
        ["forecast-worker"] = new() { Secret = "s3cret-from-the-apphost", Scopes = ["sales:read"] },
        ["disabled"] = new() { Secret = null, Scopes = ["sales:read"] },
    };

    [Fact]
    public void The_right_secret_gives_a_service_principal_with_the_configured_scopes_and_no_role()
    {
        var principal = Authenticator(Clients).Authenticate("forecast-worker", "s3cret-from-the-apphost");

        Assert.NotNull(principal);
        Assert.True(principal.IsService());
        Assert.Equal("forecast-worker", principal.GetUserId());
        Assert.Equal(["sales:read"], principal.GetScopes());
        Assert.Empty(principal.FindAll(ClaimTypes.Role));
        // Service tokens never pass the default "signed-in user" policy: it asks for a user role.
        Assert.DoesNotContain(AppRoles.All, principal.IsInRole);
    }

    [Theory]
    [InlineData("forecast-worker", "wrong")]
    [InlineData("forecast-worker", "")]
    [InlineData("forecast-worker", null)]
    [InlineData("unknown", "s3cret-from-the-apphost")]
    [InlineData(null, "s3cret-from-the-apphost")]
    [InlineData("disabled", "")]
    public void Anything_else_is_refused(string? clientId, string? secret)
    {
        Assert.Null(Authenticator(Clients).Authenticate(clientId, secret));
    }

    private sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
