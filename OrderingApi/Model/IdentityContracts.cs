namespace OrderingApi.Model;

// Request and response shapes of /api/identity (JSON, camelCase).

public sealed record RegisterRequest(string? Email, string? Password, string? Name);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>An address as a client sends it: every field optional here, <see cref="ProfileRules"/> says what is missing.</summary>
public sealed record AddressInput(string? FullName, string? Line1, string? Line2, string? City, string? PostalCode, string? Country)
{
    public Address ToAddress() => new(FullName!, Line1!, Line2, City!, PostalCode!, Country!);
}

/// <summary>The whole editable profile: a field left out or null is cleared.</summary>
public sealed record UpdateProfileRequest(string? Name, string? PhoneNumber, AddressInput? DefaultShippingAddress, AddressInput? DefaultBillingAddress);

public sealed record ProfileResponse(
    string Id,
    string Email,
    string? Name,
    string? PhoneNumber,
    Address? DefaultShippingAddress,
    Address? DefaultBillingAddress,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt);

/// <summary>A user as admins see them in the list.</summary>
public sealed record UserSummary(
    string Id,
    string Email,
    string? Name,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LockedOutUntil);

public sealed record UserPage(IReadOnlyList<UserSummary> Items, int Total, int Page, int PageSize);

/// <summary>The roles to grant on top of Customer, which every user keeps: <c>["Admin"]</c> or <c>[]</c>.</summary>
public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);

/// <summary>Client credentials of one of our services (see <c>Identity:Clients</c>).</summary>
public sealed record ServiceTokenRequest(string? ClientId, string? ClientSecret);
