using Microsoft.AspNetCore.Identity;

namespace OrderingApi.Model;

/// <summary>A shop account: Identity's user (email as user name, password hash, lockout) and the profile.</summary>
public sealed class ApplicationUser : IdentityUser
{
    /// <summary>The name to address the customer by.</summary>
    public string? Name { get; set; }

    public Address? DefaultShippingAddress { get; set; }

    public Address? DefaultBillingAddress { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
