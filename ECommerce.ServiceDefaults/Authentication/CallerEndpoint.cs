using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>How this service sees the caller's token.</summary>
/// <param name="Kind"><c>user</c> for a person, <c>service</c> for one of our services acting for itself.</param>
/// <param name="Id">The user's id, or the service's client id.</param>
/// <param name="Name">The user's email (user tokens only).</param>
/// <param name="Roles">Customer and/or Admin (user tokens).</param>
/// <param name="Scopes">What a service token was granted, e.g. <c>sales:read</c>.</param>
/// <param name="ExpiresAt">When the access token stops being accepted.</param>
public sealed record CallerResponse(string Kind, string Id, string? Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

/// <summary>
/// <c>GET /api/auth/me</c> in every service that uses the shared authentication: who this service thinks is calling
/// (id, roles, scopes, expiry). It lets a client check a token against the service it is about to call, and is
/// where to look first when one service accepts a token and another refuses it.
/// </summary>
internal static class CallerEndpoint
{
    public const string Path = "/api/auth/me";

    public static void MapCallerEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, GetCaller)
            .RequireAuthorization(AuthorizationPolicies.AnyCaller)
            .WithName("GetCaller")
            .WithSummary("Who the caller is, as this service reads the bearer token")
            .WithTags("Auth");

    public static async Task<Ok<CallerResponse>> GetCaller(ClaimsPrincipal user, HttpContext context)
    {
        var authentication = await context.AuthenticateAsync();
        return TypedResults.Ok(new CallerResponse(
            Kind: user.IsService() ? "service" : "user",
            Id: user.GetUserId()!,
            Name: user.IsService() ? null : user.Identity?.Name,
            Roles: user.GetRoles(),
            Scopes: user.GetScopes(),
            ExpiresAt: authentication.Properties?.ExpiresUtc));
    }
}
