using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>
/// The authorization policies every service shares. An endpoint declares one of them (or <c>AllowAnonymous</c>);
/// one that declares nothing gets <see cref="SignedInUser"/> as the fallback.
/// </summary>
public static class AuthorizationPolicies
{
    /// <summary>Policy name: a signed-in person with the Admin role.</summary>
    public const string Admin = "Admin";

    /// <summary>Policy name: any valid token, a person's or a service's (e.g. the "who am I" endpoint).</summary>
    public const string AnyCaller = "AnyCaller";

    /// <summary>
    /// The default and fallback policy (<c>RequireAuthorization()</c> with no name): a signed-in person, i.e. a
    /// token with a user role. Service tokens carry scopes, not roles, so they only reach endpoints that name
    /// their scope (<see cref="RequireScope"/>, <see cref="AdminOrScope"/>).
    /// </summary>
    public static AuthorizationPolicy SignedInUser { get; } = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireRole(AppRoles.Customer, AppRoles.Admin)
        .Build();

    /// <summary>Requires a service token granted <paramref name="scope"/> (e.g. <c>sales:read</c>).</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope) =>
        policy.RequireAuthenticatedUser().RequireClaim(AppClaimTypes.Scope, scope);

    /// <summary>An Admin, or a service token granted <paramref name="scope"/> (e.g. sales history for the forecaster).</summary>
    public static AuthorizationPolicy AdminOrScope(string scope) => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireAssertion(context =>
            context.User.IsInRole(AppRoles.Admin) || context.User.HasClaim(AppClaimTypes.Scope, scope))
        .Build();

    internal static void AddSharedPolicies(AuthorizationOptions options)
    {
        options.DefaultPolicy = SignedInUser;
        options.FallbackPolicy = SignedInUser;
        options.AddPolicy(Admin, policy => policy.RequireAuthenticatedUser().RequireRole(AppRoles.Admin));
        options.AddPolicy(AnyCaller, policy => policy.RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.HasClaim(c => c.Type is ClaimTypes.NameIdentifier)));
    }
}
