using System.Security.Cryptography;
using System.Text.Json;

namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>
/// Passwords of the servers the AppHost runs: generated on the first run, kept in
/// DATA_DIR/secrets.json (readable by its owner only), never written in code.
/// </summary>
internal sealed record Secrets(string PostgresPassword, string RedisPassword)
{
    public static Secrets LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, "secrets.json");
        if (File.Exists(path))
        {
            var existing = JsonSerializer.Deserialize<Secrets>(File.ReadAllText(path));
            if (existing is { PostgresPassword.Length: > 0, RedisPassword.Length: > 0 })
            {
                return existing;
            }
        }
        var secrets = new Secrets(Generate(), Generate());
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secrets;
    }

    /// <summary>Letters and digits only, so it needs no quoting in a connection string or a command line.</summary>
    public static string Generate(int length = 24) =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", length);
}
