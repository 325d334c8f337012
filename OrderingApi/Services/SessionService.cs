using System.Globalization;
using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderingApi.Infrastructure;
using OrderingApi.Model;

namespace OrderingApi.Services;

/// <summary>
/// Sign-in sessions behind the refresh tokens. A token carries its session id and generation; a refresh is accepted
/// only for the current generation of a live session and moves it on (one atomic conditional UPDATE), so each
/// refresh token works once. An old one presented again was copied: the session is revoked.
/// </summary>
public sealed partial class SessionService(
    IdentityContext db,
    SignInManager<ApplicationUser> signInManager,
    IOptions<TokenSettings> tokenSettings,
    RevokedSessions revokedSessions,
    TimeProvider timeProvider,
    ILogger<SessionService> logger)
{
    /// <summary>The generation of the session a token belongs to (with <see cref="AppClaimTypes.SessionId"/>).</summary>
    public const string GenerationClaimType = "sid_gen";

    /// <summary>Starts a session for a user who just proved who they are; returns the principal to sign in.</summary>
    public async Task<ClaimsPrincipal> StartAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            Generation = 0,
            CreatedAt = now,
            LastRefreshedAt = now,
            ExpiresAt = now + tokenSettings.Value.RefreshTokenLifetime,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return await CreatePrincipalAsync(user, session.Id, session.Generation);
    }

    /// <summary>
    /// Moves the session of a refresh token on by one generation; returns the principal for the new tokens (with the
    /// user's current roles), or null when the session is unknown, revoked, expired or the token was already used.
    /// </summary>
    public async Task<ClaimsPrincipal?> RefreshAsync(ApplicationUser user, ClaimsPrincipal refreshPrincipal, CancellationToken cancellationToken)
    {
        if (!TryReadSession(refreshPrincipal, out var sessionId, out var generation))
        {
            return null;
        }
        var now = timeProvider.GetUtcNow();
        var expiresAt = now + tokenSettings.Value.RefreshTokenLifetime;
        var moved = await db.Sessions
            .Where(s => s.Id == sessionId && s.UserId == user.Id && s.Generation == generation && s.RevokedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Generation, s => s.Generation + 1)
                .SetProperty(s => s.LastRefreshedAt, now)
                .SetProperty(s => s.ExpiresAt, expiresAt), cancellationToken);
        if (moved == 1)
        {
            return await CreatePrincipalAsync(user, sessionId, generation + 1);
        }

        // A live session at another generation: this refresh token was used before, so someone else may hold it too.
        var reused = await db.Sessions
            .Where(s => s.Id == sessionId && s.UserId == user.Id && s.RevokedAt == null && s.Generation != generation)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now), cancellationToken);
        if (reused == 1)
        {
            LogRefreshTokenReused(sessionId, user.Id);
            await AnnounceAsync([sessionId], now);
        }
        return null;
    }

    /// <summary>Ends the session a token belongs to (logout); the user's other sessions go on.</summary>
    public async Task RevokeAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.GetUserId() is { } userId && TryReadSession(principal, out var sessionId, out _))
        {
            var now = timeProvider.GetUtcNow();
            await db.Sessions
                .Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now), cancellationToken);
            await AnnounceAsync([sessionId], now);
        }
    }

    /// <summary>Ends every session of a user (after a password change).</summary>
    public async Task RevokeAllAsync(string userId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var live = await db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        await db.Sessions
            .Where(s => s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now), cancellationToken);
        await AnnounceAsync(live, now);
    }

    /// <summary>
    /// After a role change: the user's access tokens issued so far stop working in every service, so the next refresh
    /// (the storefront refreshes on a 401) carries the new roles at once; the sessions go on.
    /// </summary>
    public Task EndTokensIssuedSoFarAsync(string userId)
    {
        var now = timeProvider.GetUtcNow();
        // A millisecond on: issue times are kept in whole milliseconds, and no token of before may fall after it.
        return revokedSessions.RevokeIssuedBeforeAsync(userId, now.AddMilliseconds(1), now + tokenSettings.Value.AccessTokenLifetime);
    }

    /// <summary>
    /// Tells every service to refuse the ended sessions' access tokens at once (until the last of them expires). The
    /// sessions are ended in the database either way: if Redis cannot be reached, their tokens work until they expire.
    /// </summary>
    private Task AnnounceAsync(IReadOnlyCollection<Guid> sessionIds, DateTimeOffset now) =>
        revokedSessions.RevokeAsync([.. sessionIds.Select(id => id.ToString())], now + tokenSettings.Value.AccessTokenLifetime);

    private async Task<ClaimsPrincipal> CreatePrincipalAsync(ApplicationUser user, Guid sessionId, int generation)
    {
        // Identity's principal: id, email as name, roles and the security stamp (a password change invalidates refreshes).
        var principal = await signInManager.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(AppClaimTypes.SessionId, sessionId.ToString()));
        identity.AddClaim(new Claim(GenerationClaimType, generation.ToString(CultureInfo.InvariantCulture)));
        return principal;
    }

    private static bool TryReadSession(ClaimsPrincipal principal, out Guid sessionId, out int generation)
    {
        generation = 0;
        return Guid.TryParse(principal.FindFirstValue(AppClaimTypes.SessionId), out sessionId)
            && int.TryParse(principal.FindFirstValue(GenerationClaimType), NumberStyles.None, CultureInfo.InvariantCulture, out generation);
    }

    [LoggerMessage(LogLevel.Warning, "A refresh token of session {SessionId} (user {UserId}) was used twice; the session is revoked")]
    private partial void LogRefreshTokenReused(Guid sessionId, string userId);
}
