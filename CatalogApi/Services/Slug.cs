using System.Globalization;
using System.Text;

namespace CatalogApi.Services;

/// <summary>URL slugs: "Fjellström Merino T-Shirt" becomes "fjellstrom-merino-t-shirt".</summary>
public static class Slug
{
    public const int MaxLength = 80;

    /// <summary>Lower case ASCII letters and digits, accents dropped, every other run of characters one hyphen.</summary>
    public static string From(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder(decomposed.Length);
        var pendingHyphen = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingHyphen && slug.Length > 0)
                {
                    slug.Append('-');
                }
                pendingHyphen = false;
                slug.Append(lower);
            }
            else
            {
                pendingHyphen = true;
            }
        }
        var result = slug.ToString();
        return result.Length <= MaxLength ? result : result[..MaxLength].TrimEnd('-');
    }

    /// <summary>True for a slug as <see cref="From"/> makes them: a-z, 0-9 and single inner hyphens.</summary>
    public static bool IsValid(string? slug) =>
        !string.IsNullOrEmpty(slug) && slug.Length <= MaxLength && From(slug) == slug;

    /// <summary>The slug, or the slug with -2, -3, ... when it is taken.</summary>
    public static string Unique(string slug, Func<string, bool> isTaken)
    {
        if (!isTaken(slug))
        {
            return slug;
        }
        for (var n = 2; ; n++)
        {
            var suffix = $"-{n}";
            var candidate = (slug.Length + suffix.Length > MaxLength ? slug[..(MaxLength - suffix.Length)].TrimEnd('-') : slug) + suffix;
            if (!isTaken(candidate))
            {
                return candidate;
            }
        }
    }
}
