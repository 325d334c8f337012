using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using ECommerce.ServiceDefaults.Authentication.ServiceTokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace OrderingApi.Services;

/// <summary>
/// Makes a service token: an access token (same protector, so every service reads it) for a service principal, with
/// <see cref="TokenSettings.ServiceTokenLifetime"/> and no refresh token (the service asks again). OrderingApi's own
/// calls for itself (e.g. to CatalogApi) can use it directly, with no secret: it is the issuer.
/// </summary>
public sealed class ServiceTokenIssuer(
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    IOptions<TokenSettings> tokenSettings,
    TimeProvider timeProvider)
{
    public ServiceTokenResponse Issue(ClaimsPrincipal servicePrincipal)
    {
        var lifetime = tokenSettings.Value.ServiceTokenLifetime;
        var properties = new AuthenticationProperties { ExpiresUtc = timeProvider.GetUtcNow() + lifetime };
        var ticket = new AuthenticationTicket(servicePrincipal, properties, BearerTokenDefaults.AuthenticationScheme);
        var token = bearerOptions.Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenProtector.Protect(ticket);
        return new ServiceTokenResponse("Bearer", token, (long)lifetime.TotalSeconds, servicePrincipal.GetScopes());
    }
}
