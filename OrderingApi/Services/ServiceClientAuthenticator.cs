using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;

namespace OrderingApi.Services;

/// <summary>
/// Checks a service's client credentials against <c>Identity:Clients</c> and builds the principal of its token:
/// the client id and the configured scopes, no user role, so it passes only endpoints that name one of those scopes.
/// </summary>
public sealed class ServiceClientAuthenticator(IOptionsMonitor<Dictionary<string, ServiceClientSettings>> clients)
{
    public const string AuthenticationType = "ServiceClient";

    public ClaimsPrincipal? Authenticate(string? clientId, string? clientSecret)
    {
        var known = clients.CurrentValue;
        ServiceClientSettings? client = null;
        if (!string.IsNullOrEmpty(clientId))
        {
            known.TryGetValue(clientId, out client);
        }
        // Compare digests in constant time, and compare something even for an unknown client, so timing tells nothing.
        var expected = client?.Secret is { Length: > 0 } secret ? secret : Guid.NewGuid().ToString();
        var matches = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret ?? "")),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        if (!matches || client is null || string.IsNullOrEmpty(client.Secret))
        {
            return null;
        }

        var identity = new ClaimsIdentity(AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, clientId!));
        identity.AddClaim(new Claim(ClaimTypes.Name, clientId!));
        identity.AddClaim(new Claim(AppClaimTypes.ClientId, clientId!));
        foreach (var scope in client.Scopes.Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(AppClaimTypes.Scope, scope));
        }
        return new ClaimsPrincipal(identity);
    }
}
