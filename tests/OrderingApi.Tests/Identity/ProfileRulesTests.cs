using OrderingApi.Model;

namespace OrderingApi.Tests.Identity;

public sealed class ProfileRulesTests
{
    private static readonly AddressInput Home = new("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB");

    [Fact]
    public void A_complete_profile_is_valid()
    {
        var profile = ProfileRules.Normalize(new UpdateProfileRequest("Ada", "+44 20 7946 0958", Home, Home with { Line2 = "Flat 2" }));

        Assert.Empty(ProfileRules.Validate(profile));
    }

    [Fact]
    public void An_empty_profile_is_valid_and_clears_everything()
    {
        var profile = ProfileRules.Normalize(new UpdateProfileRequest("  ", "", null, new AddressInput(" ", null, "", null, null, "  ")));

        Assert.Empty(ProfileRules.Validate(profile));
        Assert.Equal(new UpdateProfileRequest(null, null, null, null), profile);
    }

    [Fact]
    public void Texts_are_trimmed()
    {
        var profile = ProfileRules.Normalize(new UpdateProfileRequest("  Ada  ", " 0123 456 789 ", Home with { City = " London " }, null));

        Assert.Equal("Ada", profile.Name);
        Assert.Equal("0123 456 789", profile.PhoneNumber);
        Assert.Equal("London", profile.DefaultShippingAddress!.City);
    }

    [Fact]
    public void Missing_address_fields_are_reported_each_under_its_path()
    {
        var profile = ProfileRules.Normalize(new UpdateProfileRequest(null, null, new AddressInput("Ada", null, null, "London", null, null), null));

        var errors = ProfileRules.Validate(profile);

        Assert.Equal(["defaultShippingAddress.country", "defaultShippingAddress.line1", "defaultShippingAddress.postalCode"], errors.Keys.Order());
        Assert.All(errors.Values, messages => Assert.Equal(["This field is required."], messages));
    }

    [Fact]
    public void Too_long_texts_and_control_characters_are_refused()
    {
        var profile = ProfileRules.Normalize(new UpdateProfileRequest(new string('a', 101), null, null, Home with { Line1 = "12 Road\nDROP TABLE" }));

        var errors = ProfileRules.Validate(profile);

        Assert.Equal(["At most 100 characters."], errors["name"]);
        Assert.Equal(["Line breaks and control characters are not allowed."], errors["defaultBillingAddress.line1"]);
    }

    [Theory]
    [InlineData("+44 20 7946 0958", true)]
    [InlineData("(555) 123-4567", true)]
    [InlineData("555.123.4567", true)]
    [InlineData("12345", false)]              // too few digits
    [InlineData("+1234567890123456", false)]  // more than E.164's 15
    [InlineData("call me", false)]
    [InlineData("555-1234 ext 5", false)]
    public void Phone_numbers(string phone, bool valid)
    {
        Assert.Equal(valid, ProfileRules.IsPhoneNumber(phone));
    }
}
