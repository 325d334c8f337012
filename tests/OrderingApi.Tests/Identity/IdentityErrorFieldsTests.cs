using Microsoft.AspNetCore.Identity;
using OrderingApi.Services;

namespace OrderingApi.Tests.Identity;

public sealed class IdentityErrorFieldsTests
{
    private static readonly IdentityErrorDescriber Describer = new();

    [Fact]
    public void A_taken_email_is_reported_once_under_email()
    {
        // The user name is the email, so Identity reports both a duplicate user name and a duplicate email.
        var errors = IdentityErrorFields.Map([Describer.DuplicateUserName("a@b.example"), Describer.DuplicateEmail("a@b.example")]);

        Assert.Equal(["This email is already registered."], Assert.Single(errors, e => e.Key == "email").Value);
        Assert.Single(errors);
    }

    [Fact]
    public void Password_rules_go_under_the_password_field_with_identitys_own_messages()
    {
        var errors = IdentityErrorFields.Map([Describer.PasswordTooShort(8), Describer.PasswordRequiresDigit(), Describer.InvalidEmail("x")]);

        Assert.Equal([Describer.PasswordTooShort(8).Description, Describer.PasswordRequiresDigit().Description], errors["password"]);
        Assert.Equal(["This is not a valid email address."], errors["email"]);
    }

    [Fact]
    public void When_changing_a_password_the_fields_are_current_and_new()
    {
        var errors = IdentityErrorFields.Map([Describer.PasswordMismatch(), Describer.PasswordRequiresUpper()], passwordField: "newPassword");

        Assert.Equal(["The current password is not correct."], errors["currentPassword"]);
        Assert.Equal([Describer.PasswordRequiresUpper().Description], errors["newPassword"]);
    }

    [Fact]
    public void Other_errors_are_about_the_whole_request()
    {
        var errors = IdentityErrorFields.Map([Describer.ConcurrencyFailure()]);

        Assert.Equal([Describer.ConcurrencyFailure().Description], errors[""]);
    }
}
