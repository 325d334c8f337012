using System.ComponentModel.DataAnnotations;

namespace ECommerce.ServiceDefaults.Authentication.ServiceTokens;

/// <summary>
/// A service's own identity for background calls (section <c>ServiceAuthentication</c>): a client id and secret that
/// OrderingApi exchanges for a short-lived service token with the scopes configured for that client there.
/// The AppHost generates the secret and gives it to both sides.
/// </summary>
public sealed class ServiceTokenOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string SectionName = "ServiceAuthentication";

    /// <summary>The client id, as OrderingApi knows it (<c>Identity:Clients:{id}</c>), e.g. <c>forecast-worker</c>.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The generated shared secret (from the AppHost; never in code or appsettings).</summary>
    [Required]
    public string ClientSecret { get; set; } = "";

    /// <summary>Where tokens are issued; a service name, resolved by service discovery.</summary>
    [Required]
    public Uri TokenEndpoint { get; set; } = new("http://ordering-api/api/identity/service-token");

    /// <summary>A cached token is renewed this long before it expires.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RenewBeforeExpiry { get; set; } = TimeSpan.FromMinutes(1);
}
