using System.Security.Claims;

namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>Who is calling, read from the validated bearer token.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The user's id (or, for a service token, the client id); null when anonymous.</summary>
    public static string? GetUserId(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true ? principal.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    /// <summary>True when the caller is one of our services acting for itself, not a person.</summary>
    public static bool IsService(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && principal.HasClaim(c => c.Type == AppClaimTypes.ClientId);

    /// <summary>The caller's roles (Customer, Admin), sorted; empty for a service token.</summary>
    public static IReadOnlyList<string> GetRoles(this ClaimsPrincipal principal) =>
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The scopes of a service token, sorted; empty for a user token.</summary>
    public static IReadOnlyList<string> GetScopes(this ClaimsPrincipal principal) =>
        principal.FindAll(AppClaimTypes.Scope).Select(c => c.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
