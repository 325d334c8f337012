using Microsoft.AspNetCore.Identity;
using OrderingApi.Model;

namespace OrderingApi.Services;

/// <summary>
/// Makes a failed sign-in cost the same whether or not the account exists (or is locked): without it, "no such
/// email" answers in microseconds and "wrong password" after a full password hash, which tells accounts apart.
/// </summary>
public sealed class PasswordTiming(IPasswordHasher<ApplicationUser> hasher)
{
    private static readonly ApplicationUser Nobody = new();
    private static string? s_dummyHash;

    /// <summary>Verifies <paramref name="password"/> against a throw-away hash, for the time it takes.</summary>
    public void SpendHashingTime(string password)
    {
        var dummyHash = s_dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Nobody, dummyHash, password);
    }
}
