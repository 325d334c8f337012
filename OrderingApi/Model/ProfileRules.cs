using System.Text.RegularExpressions;

namespace OrderingApi.Model;

/// <summary>What a profile may hold, checked in one place: the API answers 400 with these messages, per field.</summary>
public static partial class ProfileRules
{
    public const int NameMaxLength = 100;
    public const int PhoneMaxLength = 32;
    public const int AddressLineMaxLength = 200;
    public const int CityMaxLength = 100;
    public const int PostalCodeMaxLength = 20;
    public const int CountryMaxLength = 56;

    /// <summary>Trims every text and turns blanks into null (an optional field left empty is "not given").</summary>
    public static UpdateProfileRequest Normalize(UpdateProfileRequest request) => new(
        Clean(request.Name),
        Clean(request.PhoneNumber),
        Normalize(request.DefaultShippingAddress),
        Normalize(request.DefaultBillingAddress));

    /// <summary>Field errors of a normalized request, keyed by the JSON path (<c>defaultShippingAddress.city</c>); empty when valid.</summary>
    public static Dictionary<string, string[]> Validate(UpdateProfileRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        CheckText(errors, "name", request.Name, NameMaxLength, required: false);
        if (request.PhoneNumber is { } phone && !IsPhoneNumber(phone))
        {
            Add(errors, "phoneNumber", "Enter a phone number of 6 to 15 digits; it may start with + and contain spaces, dashes, dots or brackets.");
        }
        CheckAddress(errors, "defaultShippingAddress", request.DefaultShippingAddress);
        CheckAddress(errors, "defaultBillingAddress", request.DefaultBillingAddress);
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    public static bool IsPhoneNumber(string value)
    {
        if (value.Length > PhoneMaxLength || !PhoneCharacters().IsMatch(value))
        {
            return false;
        }
        var digits = value.Count(char.IsAsciiDigit);
        return digits is >= 6 and <= 15;
    }

    private static void CheckAddress(Dictionary<string, List<string>> errors, string field, AddressInput? address)
    {
        if (address is null)
        {
            return;
        }
        CheckText(errors, $"{field}.fullName", address.FullName, NameMaxLength, required: true);
        CheckText(errors, $"{field}.line1", address.Line1, AddressLineMaxLength, required: true);
        CheckText(errors, $"{field}.line2", address.Line2, AddressLineMaxLength, required: false);
        CheckText(errors, $"{field}.city", address.City, CityMaxLength, required: true);
        CheckText(errors, $"{field}.postalCode", address.PostalCode, PostalCodeMaxLength, required: true);
        CheckText(errors, $"{field}.country", address.Country, CountryMaxLength, required: true);
    }

    private static void CheckText(Dictionary<string, List<string>> errors, string field, string? value, int maxLength, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(errors, field, "This field is required.");
            }
            return;
        }
        if (value.Length > maxLength)
        {
            Add(errors, field, $"At most {maxLength} characters.");
        }
        if (value.Any(char.IsControl))
        {
            Add(errors, field, "Line breaks and control characters are not allowed.");
        }
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }
        messages.Add(message);
    }

    private static AddressInput? Normalize(AddressInput? address)
    {
        if (address is null)
        {
            return null;
        }
        var cleaned = new AddressInput(Clean(address.FullName), Clean(address.Line1), Clean(address.Line2),
            Clean(address.City), Clean(address.PostalCode), Clean(address.Country));
        // An address with every field blank is no address (a form submitted empty).
        return cleaned is { FullName: null, Line1: null, Line2: null, City: null, PostalCode: null, Country: null } ? null : cleaned;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^\+?[0-9 ().\-]+$")]
    private static partial Regex PhoneCharacters();
}
