using Microsoft.AspNetCore.Identity;

namespace OrderingApi.Services;

/// <summary>Turns Identity's errors into validation problem fields, so a client can show each message at its input.</summary>
public static class IdentityErrorFields
{
    /// <summary>
    /// Groups <paramref name="errors"/> by the request field they are about: email problems under
    /// <paramref name="emailField"/>, password rules under <paramref name="passwordField"/>, a wrong current password
    /// under <paramref name="currentPasswordField"/>; anything else under the empty key (the whole request).
    /// </summary>
    public static Dictionary<string, string[]> Map(
        IEnumerable<IdentityError> errors,
        string emailField = "email",
        string passwordField = "password",
        string currentPasswordField = "currentPassword") =>
        errors
            .Select(error => (Field: FieldOf(error.Code, emailField, passwordField, currentPasswordField), Message: MessageOf(error)))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());

    private static string FieldOf(string code, string emailField, string passwordField, string currentPasswordField) => code switch
    {
        nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.DuplicateEmail)
            or nameof(IdentityErrorDescriber.InvalidUserName) or nameof(IdentityErrorDescriber.DuplicateUserName) => emailField,
        nameof(IdentityErrorDescriber.PasswordMismatch) => currentPasswordField,
        _ when code.StartsWith("Password", StringComparison.Ordinal) => passwordField,
        _ => "",
    };

    // The user name is the email: say "email" once, whichever of the two checks found it.
    private static string MessageOf(IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) => "This email is already registered.",
        nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) => "This is not a valid email address.",
        nameof(IdentityErrorDescriber.PasswordMismatch) => "The current password is not correct.",
        _ => error.Description,
    };
}
