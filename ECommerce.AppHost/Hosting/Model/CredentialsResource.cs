using System.Security.Cryptography;
using System.Text.Json;

namespace ECommerce.AppHost.Hosting;

/// <summary>
/// A sign-in the app seeds (the first admin): the password is generated on the first run and kept
/// as DATA_DIR/{FileName} ({"email","password"}), never written in code.
/// </summary>
public sealed class CredentialsResource(string name, string fileName, string email) : Resource(name)
{
    private Credentials? _credentials;

    public string FileName { get; } = fileName;

    public string FilePath { get; private set; } = "";

    public string Email => Loaded.Email;

    public string Password => Loaded.Password;

    private Credentials Loaded => _credentials ?? throw new InvalidOperationException($"{Name} is read when the app starts.");

    internal void LoadOrCreate(string dataDir)
    {
        FilePath = Path.Combine(dataDir, FileName);
        if (File.Exists(FilePath) && JsonSerializer.Deserialize<Credentials>(File.ReadAllText(FilePath), Json) is { Email.Length: > 0, Password.Length: > 0 } existing)
        {
            _credentials = existing;
            return;
        }
        _credentials = new Credentials(email, GeneratePassword());
        File.WriteAllText(FilePath, JsonSerializer.Serialize(_credentials, Json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>20 characters with every class a password policy asks for (upper, lower, digit, symbol).</summary>
    public static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnpqrstuvwxyz", digits = "23456789", symbols = "!@#%*-_+=";
        var chars = RandomNumberGenerator.GetString(upper + lower + digits + symbols, 16)
            + RandomNumberGenerator.GetString(upper, 1) + RandomNumberGenerator.GetString(lower, 1)
            + RandomNumberGenerator.GetString(digits, 1) + RandomNumberGenerator.GetString(symbols, 1);
        var array = chars.ToCharArray();
        RandomNumberGenerator.Shuffle(array.AsSpan());
        return new string(array);
    }

    private sealed record Credentials(string Email, string Password);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
