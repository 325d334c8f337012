using System.Text.RegularExpressions;

namespace ECommerce.AppHost.Dashboard;

/// <summary>
/// Hides secrets in what the dashboard shows of a resource: whole values of variables named like a
/// secret (*PASSWORD*, *SECRET*, *TOKEN*, *KEY*), key=value parts of connection strings and header
/// lists (Password=..., password=..., x-api-key=...), user:password@ in URLs, and the value after a
/// command-line option named like one (--requirepass VALUE).
/// </summary>
public static partial class SecretMasker
{
    public const string Mask = "••••••••";

    private static readonly string[] SecretWords = ["PASSWORD", "PASSWD", "PWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTHORIZATION", "REQUIREPASS"];

    public static bool IsSecretName(string name) =>
        SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A connection string's name is a resource's name (ConnectionStrings__keyringdb is no key):
    /// only its password part is masked.
    /// </summary>
    public static string MaskVariable(string name, string value) =>
        value.Length == 0 ? value
        : IsSecretName(name) && !name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) ? Mask
        : MaskInside(value);

    /// <summary>Masks the secret parts of a value that is not a secret as a whole.</summary>
    public static string MaskInside(string value)
    {
        var masked = KeyValuePart().Replace(value, m => IsSecretName(m.Groups["key"].Value) ? $"{m.Groups["key"].Value}{m.Groups["eq"].Value}{Mask}" : m.Value);
        return UrlPassword().Replace(masked, m => $"{m.Groups["user"].Value}:{Mask}@");
    }

    /// <summary>A command line to show: secrets masked, empty or spaced arguments quoted.</summary>
    public static string MaskCommandLine(string command, IReadOnlyList<string> arguments) =>
        string.Join(' ', new[] { command }.Concat(MaskArguments(arguments)).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));

    public static IReadOnlyList<string> MaskArguments(IReadOnlyList<string> arguments)
    {
        var masked = new List<string>(arguments.Count);
        for (var i = 0; i < arguments.Count; i++)
        {
            var previous = i > 0 ? arguments[i - 1] : "";
            masked.Add(previous.StartsWith('-') && IsSecretName(previous.TrimStart('-')) && !arguments[i].StartsWith('-')
                ? Mask
                : MaskInside(arguments[i]));
        }
        return masked;
    }

    /// <summary>key=value inside ; , &amp; or space separated lists; the value runs to the next separator.</summary>
    [GeneratedRegex(@"(?<=^|[;,&\s])(?<key>[A-Za-z0-9_.\- ]+?)(?<eq>\s*=\s*)(?<value>[^;,&\s]*)")]
    private static partial Regex KeyValuePart();

    [GeneratedRegex(@"(?<=://)(?<user>[^:/@\s]+):[^@/\s]+@")]
    private static partial Regex UrlPassword();
}
