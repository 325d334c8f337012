using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using ServiceDefaults.Tests.Infrastructure;
using StackExchange.Redis;
using System.Security.Claims;

namespace ServiceDefaults.Tests.Authentication;

/// <summary>
/// The bearer token ticket cache in front of the data-protected format, and the revocation check in front of it
/// (as <c>AddDefaultAuthentication</c> puts them): a token read again is not decrypted again, an expired one is
/// refused, and a revoked session or user is refused at once even while its ticket is cached.
/// </summary>
public sealed class CachedTicketFormatTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_read_again_is_served_from_the_cache_as_a_copy()
    {
        var time = new ManualTime(Start);
        var inner = new CountingFormat();
        var format = new CachedTicketFormat(inner, time);
        var token = format.Protect(Ticket("user-1", "session-1", Start.AddMinutes(10)));

        var first = format.Unprotect(token);
        first!.Principal.Identities.First().AddClaim(new Claim(ClaimTypes.Role, "Admin"));
        time.Now += TimeSpan.FromSeconds(30);
        var second = format.Unprotect(token);

        Assert.Equal(1, inner.Unprotects);
        Assert.Equal("user-1", second!.Principal.GetUserId());
        Assert.False(second.Principal.IsInRole("Admin"));
        Assert.NotSame(first.Principal, second.Principal);
        Assert.Null(format.Unprotect(TestTokens.Tamper(token)));
    }

    [Fact]
    public void An_expired_ticket_is_refused_even_when_cached()
    {
        var time = new ManualTime(Start);
        var inner = new CountingFormat();
        var format = new CachedTicketFormat(inner, time);
        var token = format.Protect(Ticket("user-1", "session-1", Start.AddMinutes(1)));
        Assert.NotNull(format.Unprotect(token));

        time.Now = Start.AddMinutes(1);

        // Read again from the token: its ticket has expired, which the bearer handler refuses (and the cache keeps none).
        var ticket = format.Unprotect(token);
        Assert.True(ticket is null || ticket.Properties.ExpiresUtc <= time.Now);
        Assert.Equal(2, inner.Unprotects);
    }

    [Fact]
    public async Task A_revoked_session_or_user_is_refused_at_once_while_its_ticket_is_cached()
    {
        Assert.SkipUnless(RedisServer.IsInstalled, $"{RedisServer.Executable} is not installed");
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var time = new ManualTime(Start);
        var sessions = new RevokedSessions(time, NullLogger<RevokedSessions>.Instance, connection);
        var inner = new CountingFormat();
        var format = new RevokedSessionTokenFormat(new CachedTicketFormat(inner, time), sessions, time);
        var loggedOut = format.Protect(Ticket("user-1", "session-1", Start.AddMinutes(10)));
        var roleChanged = format.Protect(Ticket("user-2", "session-2", Start.AddMinutes(10)));
        Assert.NotNull(format.Unprotect(loggedOut));
        Assert.NotNull(format.Unprotect(roleChanged));
        Assert.NotNull(format.Unprotect(loggedOut));

        await sessions.RevokeAsync(["session-1"], Start.AddMinutes(10));
        await sessions.RevokeIssuedBeforeAsync("user-2", Start.AddMilliseconds(1), Start.AddMinutes(10));

        Assert.Null(format.Unprotect(loggedOut));
        Assert.Null(format.Unprotect(roleChanged));
        Assert.Equal(2, inner.Unprotects);
    }

    private static AuthenticationTicket Ticket(string userId, string sessionId, DateTimeOffset expires)
    {
        var principal = TestTokens.User(userId, "Customer");
        principal.Identities.First().AddClaim(new Claim(AppClaimTypes.SessionId, sessionId));
        return new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = expires }, "BearerToken");
    }

    /// <summary>The data-protected ticket format the BearerToken handler uses, counting the tokens it reads.</summary>
    private sealed class CountingFormat : ISecureDataFormat<AuthenticationTicket>
    {
        private readonly TicketDataFormat _format = new(new EphemeralDataProtectionProvider().CreateProtector("tests"));

        public int Unprotects { get; private set; }

        public string Protect(AuthenticationTicket data) => _format.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => _format.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Unprotects++;
            return _format.Unprotect(protectedText, purpose);
        }
    }
}
