using System.ComponentModel.DataAnnotations;

namespace Storefront.Model;

/// <summary>An address being edited in a form (checkout, profile).</summary>
public sealed class AddressInput
{
    [Required(ErrorMessage = "Enter the full name."), StringLength(200)]
    public string FullName { get; set; } = "";

    [Required(ErrorMessage = "Enter the street and number."), StringLength(200)]
    public string Line1 { get; set; } = "";

    [StringLength(200)]
    public string? Line2 { get; set; }

    [Required(ErrorMessage = "Enter the city."), StringLength(100)]
    public string City { get; set; } = "";

    [Required(ErrorMessage = "Enter the postal code."), StringLength(20)]
    public string PostalCode { get; set; } = "";

    [Required(ErrorMessage = "Enter the country."), StringLength(100)]
    public string Country { get; set; } = "";

    public bool IsEmpty => string.IsNullOrWhiteSpace(FullName) && string.IsNullOrWhiteSpace(Line1) && string.IsNullOrWhiteSpace(City)
        && string.IsNullOrWhiteSpace(PostalCode) && string.IsNullOrWhiteSpace(Country);

    public static AddressInput From(Address? address, string? name = null) => address is null
        ? new AddressInput { FullName = name ?? "" }
        : new AddressInput
        {
            FullName = address.FullName, Line1 = address.Line1, Line2 = address.Line2, City = address.City, PostalCode = address.PostalCode,
            Country = address.Country,
        };

    public Address ToAddress() => new(FullName.Trim(), Line1.Trim(), string.IsNullOrWhiteSpace(Line2) ? null : Line2.Trim(), City.Trim(),
        PostalCode.Trim(), Country.Trim());
}
