using System.Security.Cryptography;
using System.Text.Json;

namespace ECommerce.AppHost.Local;

/// <summary>
/// Passwords of the servers the AppHost runs: generated on the first run, kept in
/// DATA_DIR/secrets.json (readable by its owner only), never written in code.
/// </summary>
public sealed record Secrets(string PostgresPassword, string RedisPassword)
{
    public static Secrets LoadOrCreate(string dataDir) =>
        JsonFile.LoadOrCreate(Path.Combine(dataDir, "secrets.json"),
            (Secrets s) => s is { PostgresPassword.Length: > 0, RedisPassword.Length: > 0 },
            () => new Secrets(Generate(), Generate()));

    /// <summary>Letters and digits only, so it needs no quoting in a connection string or a command line.</summary>
    public static string Generate(int length = 24) =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", length);
}

/// <summary>
/// A sign-in the app seeds (the first admin, a service's client secret): the password is generated on the
/// first run and kept as DATA_DIR/{name}.json (<c>{"email","password"}</c>), never written in code.
/// </summary>
public sealed record Credentials(string Email, string Password)
{
    public static Credentials LoadOrCreate(string dataDir, string name, string email) =>
        JsonFile.LoadOrCreate(Path.Combine(dataDir, name + ".json"),
            (Credentials c) => c is { Email.Length: > 0, Password.Length: > 0 },
            () => new Credentials(email, GeneratePassword()));

    /// <summary>Credentials an AppHost generated into <paramref name="dataDir"/>, or null when there are none.</summary>
    public static Credentials? Read(string dataDir, string name) => JsonFile.Read<Credentials>(Path.Combine(dataDir, name + ".json"));

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
}

/// <summary>Small JSON files of generated secrets, readable by their owner only.</summary>
internal static class JsonFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static T? Read<T>(string path) where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) : null;

    public static T LoadOrCreate<T>(string path, Func<T, bool> isComplete, Func<T> create) where T : class
    {
        if (Read<T>(path) is { } existing && isComplete(existing))
        {
            return existing;
        }
        var value = create();
        Write(path, value);
        return value;
    }

    /// <summary>Written whole (to a temporary file, then renamed), so a reader never sees half a file.</summary>
    public static void Write<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(value, Json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temp, path, overwrite: true);
    }
}
