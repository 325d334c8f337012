using System.Text;
using System.Text.RegularExpressions;

namespace AssistantApi.Services;

/// <summary>
/// Keeps replies plain text or safe markdown: no HTML (angle brackets become look-alike quotes), no control
/// characters, and links only to http(s) or to the shop's own paths.
/// </summary>
public static partial class ReplySanitizer
{
    public const int MaxReplyLength = 8_000;

    /// <summary>Character by character, so it can run over streamed chunks too.</summary>
    public static string CleanChunk(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '<' => '\u2039',
                '>' => '\u203A',
                '\n' or '\t' => c,
                _ when char.IsControl(c) => ' ',
                _ => c,
            });
        }
        return builder.ToString();
    }

    /// <summary>The whole reply: chunk cleaning, unsafe link targets dropped, length capped.</summary>
    public static string Clean(string text)
    {
        var cleaned = CleanChunk(text.Trim());
        cleaned = UnsafeLink().Replace(cleaned, match => match.Groups["label"].Value);
        cleaned = UnsafeScheme().Replace(cleaned, "$1 :");
        return cleaned.Length > MaxReplyLength ? cleaned[..MaxReplyLength] + "…" : cleaned;
    }

    // [label](target) where target is not http(s) and not a path of ours: keep the label only.
    [GeneratedRegex(@"!?\[(?<label>[^\]]*)\]\((?!https?://|/)[^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex UnsafeLink();

    [GeneratedRegex(@"\b(javascript|vbscript|data)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex UnsafeScheme();
}
