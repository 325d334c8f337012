namespace OrderingApi.Model;

/// <summary>
/// One sign-in (a device, a browser): what its refresh token is checked against. Refreshing rotates the
/// <see cref="Generation"/>, so a refresh token works once; presenting an old one again means it was copied, and the
/// session is revoked. Logout revokes the session; a password change revokes all of the user's sessions.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public int Generation { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastRefreshedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
