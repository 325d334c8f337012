namespace CatalogApi.Services;

/// <summary>Turns search words into a PostgreSQL tsquery string. Pure, so it is unit tested.</summary>
public static class SearchText
{
    /// <summary>
    /// "hiking boot" becomes <c>hiking &amp; boot:*</c>: every word required, the last one also as a prefix (people
    /// type the start of a word). Only letters and digits survive, so the result cannot carry tsquery operators.
    /// </summary>
    public static string? ToTsQuery(IEnumerable<string> words)
    {
        var terms = words
            .SelectMany(w => w.Split(c => !char.IsLetterOrDigit(c)))
            .Where(w => w.Length > 0)
            .ToList();
        if (terms.Count == 0)
        {
            return null;
        }
        terms[^1] += ":*";
        return string.Join(" & ", terms);
    }

    /// <summary>
    /// Words left out of a search: PostgreSQL's English list would also drop "down", "off", "over" and "up", which name
    /// things in this shop (a down jacket), so the catalog keeps its own, shorter list.
    /// </summary>
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i", "in", "into", "is", "it",
        "its", "me", "my", "of", "on", "or", "our", "so", "than", "that", "the", "their", "them", "then", "there", "these",
        "they", "this", "to", "too", "very", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will",
        "with", "you", "your", "how", "all", "any", "some", "not", "no", "can", "do", "does",
    ];

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>Words worth correcting: four letters or more and no digits (sizes, models and codes are kept as typed).</summary>
    public static bool MayCorrect(string word) => word.Length >= 4 && !word.Any(char.IsDigit);

    private static string[] Split(this string text, Func<char, bool> isSeparator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || isSeparator(text[i]))
            {
                if (i > start)
                {
                    parts.Add(text[start..i]);
                }
                start = i + 1;
            }
        }
        return [.. parts];
    }
}
