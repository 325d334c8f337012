namespace Storefront.Auth;

/// <summary>Claims of the storefront's sign-in cookie besides the framework's (NameIdentifier, Name = email, Role).</summary>
public static class StorefrontClaims
{
    /// <summary>The id of the server-side session holding the user's tokens (see <see cref="TokenStore"/>).</summary>
    public const string SessionId = "so_sid";

    /// <summary>The user's display name (their name, else their email).</summary>
    public const string DisplayName = "so_name";

    public const string AdminRole = "Admin";
}
