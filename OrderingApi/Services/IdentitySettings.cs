using System.ComponentModel.DataAnnotations;

namespace OrderingApi.Services;

/// <summary>Token lifetimes (section <c>Identity:Tokens</c>).</summary>
public sealed class TokenSettings
{
    public const string SectionName = "Identity:Tokens";

    /// <summary>How long an access token is accepted. Short: other services cannot see a logout or a role change before it ends.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in lasts without use; every refresh extends it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a service token (client credentials) is accepted; services fetch a new one when it ends.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>The per-client limit on endpoints that check a secret (section <c>Identity:RateLimit</c>).</summary>
public sealed class CredentialRateLimitSettings
{
    public const string SectionName = "Identity:RateLimit";

    /// <summary>The rate-limiting policy name the endpoints use.</summary>
    public const string PolicyName = "credentials";

    /// <summary>Requests a client (an IP address) may make per window to login, register, change-password and service-token.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The first admin (section <c>Identity:Admin</c>, given by the AppHost), created on first start only.</summary>
public sealed class AdminAccountSettings
{
    public const string SectionName = "Identity:Admin";

    [EmailAddress]
    public string? Email { get; set; }

    public string? Password { get; set; }
}

/// <summary>
/// Our services that may get a service token (section <c>Identity:Clients</c>, keyed by client id): the scopes are
/// configuration (appsettings.json), the secret comes from the AppHost. A client without a secret cannot get tokens.
/// </summary>
public sealed class ServiceClientSettings
{
    public const string SectionName = "Identity:Clients";

    public string? Secret { get; set; }

    public List<string> Scopes { get; set; } = [];
}
