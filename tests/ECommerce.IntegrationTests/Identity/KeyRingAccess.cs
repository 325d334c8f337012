using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication.KeyRing;
using ECommerce.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ECommerce.IntegrationTests.Identity;

/// <summary>
/// The test process reading the app's shared key ring from keyringdb, as one more instance would: to make tokens
/// the app would never hand out (already expired), and to show the ring really is shared through PostgreSQL.
/// </summary>
internal sealed class KeyRingAccess : IDisposable
{
    private readonly ServiceProvider _services;

    public KeyRingAccess(TestApp app)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{SharedKeyRing.ConnectionName}"] = app.GetConnectionString(SharedKeyRing.ConnectionName),
            })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddDataProtection().SetApplicationName(SharedKeyRing.ApplicationName).PersistKeysToPostgres();
        services.AddAuthentication().AddBearerToken(BearerTokenDefaults.AuthenticationScheme);
        _services = services.BuildServiceProvider();
    }

    public string IssueAccessToken(string userId, string[] roles, DateTimeOffset expiresAt)
    {
        var identity = new ClaimsIdentity("test", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, userId));
        identity.AddClaims(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var options = _services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerTokenDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { ExpiresUtc = expiresAt };
        return options.BearerTokenProtector.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, BearerTokenDefaults.AuthenticationScheme));
    }

    public void Dispose() => _services.Dispose();
}
