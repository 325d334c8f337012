using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>
/// Remembers the tickets of bearer tokens already read, so a token sent again is not decrypted, checked and
/// deserialised again (AES-CBC, HMAC and a key derivation per token in every service, on every request). Keyed on the
/// whole token string: a token is encrypted and signed, so the same text always holds the same ticket. At most
/// <see cref="Capacity"/> tokens, each for <see cref="MaxAge"/> at most and never past its ticket's expiry. Each call
/// gets its own copy of the ticket (the request's user can be changed by whoever holds it). Revocation is not this
/// class's business: <see cref="RevokedSessionTokenFormat"/> wraps it and checks every ticket, cached or not.
/// </summary>
internal sealed class CachedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock)
    : ISecureDataFormat<AuthenticationTicket>
{
    /// <summary>How many tokens are remembered at most (a few kilobytes each with its ticket: about 10 MB at most).</summary>
    public const int Capacity = 4096;

    /// <summary>How long a token is remembered at most.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }
        var now = clock.GetUtcNow();
        if (_tickets.TryGetValue(protectedText, out AuthenticationTicket? cached) && cached!.Properties.ExpiresUtc > now)
        {
            return cached.Clone();
        }
        var ticket = inner.Unprotect(protectedText);
        if (ticket?.Properties.ExpiresUtc is { } expires && expires > now)
        {
            var lifetime = expires - now < MaxAge ? expires - now : MaxAge;
            _tickets.Set(protectedText, ticket.Clone(), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        }
        return ticket;
    }
}
