namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>
/// Claim types our tokens carry besides the framework's (<c>ClaimTypes.NameIdentifier</c> for the id,
/// <c>ClaimTypes.Name</c>, <c>ClaimTypes.Role</c>).
/// </summary>
public static class AppClaimTypes
{
    /// <summary>One claim per scope a service token was granted, e.g. <c>sales:read</c>.</summary>
    public const string Scope = "scope";

    /// <summary>Present only in service tokens: the client (service) the token was issued to.</summary>
    public const string ClientId = "client_id";

    /// <summary>The sign-in session a user token belongs to (refresh and logout act on it).</summary>
    public const string SessionId = "sid";
}
