namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>The roles a signed-in person can have. Every registered user is a Customer; some are also Admins.</summary>
public static class AppRoles
{
    /// <summary>Everyone who registers: shops, sees their own cart and orders.</summary>
    public const string Customer = "Customer";

    /// <summary>Manages the catalog, stock, orders and users; reads forecasts.</summary>
    public const string Admin = "Admin";

    /// <summary>Every role, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [Customer, Admin];
}
