using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.Tests.Authentication;

/// <summary>Issues bearer tokens the way OrderingApi does (the BearerToken handler's protector), from any app of the test.</summary>
internal static class TestTokens
{
    public static ClaimsPrincipal User(string id, params string[] roles)
    {
        var identity = new ClaimsIdentity("test", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, id));
        identity.AddClaim(new Claim(ClaimTypes.Name, $"{id}@example.test"));
        identity.AddClaims(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(identity);
    }

    public static ClaimsPrincipal Service(string clientId, params string[] scopes)
    {
        var identity = new ClaimsIdentity("test", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, clientId));
        identity.AddClaim(new Claim(AppClaimTypes.ClientId, clientId));
        identity.AddClaims(scopes.Select(scope => new Claim(AppClaimTypes.Scope, scope)));
        return new ClaimsPrincipal(identity);
    }

    public static string Issue(IServiceProvider services, ClaimsPrincipal principal, TimeSpan? lifetime = null)
    {
        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerTokenDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromMinutes(5)) };
        return options.BearerTokenProtector.Protect(new AuthenticationTicket(principal, properties, BearerTokenDefaults.AuthenticationScheme));
    }

    /// <summary>The same token with one character in the middle changed (still valid base64url).</summary>
    public static string Tamper(string token)
    {
        var chars = token.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
