using System.Globalization;
using System.Text;

namespace AssistantApi.Engines.Local;

/// <summary>A word of a message: its normalised form, its crude stem, and where it stands.</summary>
public sealed record Token(string Text, string Stem, int Index);

/// <summary>Text helpers of the local engine: normalising, tokenising, stemming and typo-tolerant comparison.</summary>
public static class Text
{
    /// <summary>Lower case, accents removed ("Fjellström" -> "fjellstrom"), curly quotes made straight.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c switch { '\u2019' or '\u2018' => '\'', _ => c });
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The words of a text: runs of letters and digits, with "s/m"-style sizes and decimals ("0.75") kept whole and
    /// apostrophes dropped ("what's" -> "whats").
    /// </summary>
    public static List<Token> Tokenize(string text)
    {
        var folded = Fold(text);
        var tokens = new List<Token>();
        var current = new StringBuilder();
        for (var i = 0; i <= folded.Length; i++)
        {
            var c = i < folded.Length ? folded[i] : ' ';
            var joins = current.Length > 0 && i + 1 < folded.Length && char.IsLetterOrDigit(folded[i + 1])
                && ((c == '/' && current.Length <= 2) || (c == '.' && char.IsDigit(current[^1]) && char.IsDigit(folded[i + 1])));
            if (char.IsLetterOrDigit(c) || joins)
            {
                current.Append(c);
            }
            else if (c == '\'' && current.Length > 0)
            {
                // "what's", "don't": the apostrophe is dropped, the word goes on.
            }
            else if (current.Length > 0)
            {
                var word = current.ToString();
                tokens.Add(new Token(word, Stem(word), tokens.Count));
                current.Clear();
            }
        }
        return tokens;
    }

    /// <summary>A crude English stem: plurals to singular ("boots" -> "boot", "accessories" -> "accessory").</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }
        if (word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal))
        {
            return word[..^2];
        }
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal))
        {
            return word[..^1];
        }
        return word;
    }

    /// <summary>
    /// Whether a typed word is a known word, allowing typos in proportion to its length: none up to 3 letters, one up
    /// to 6, two beyond. Numbers must match exactly.
    /// </summary>
    public static bool Matches(string typed, string known)
    {
        if (typed == known)
        {
            return true;
        }
        // Words of the shop's own talk are never typos of a catalog name ("stock" is not "sock").
        if (ShopWords.Contains(typed))
        {
            return false;
        }
        if (typed.Any(char.IsDigit) || known.Any(char.IsDigit))
        {
            return false;
        }
        var allowed = known.Length <= 3 ? 0 : known.Length <= 6 ? 1 : 2;
        // A one-typo word must still start right ("tnet" is a tent, "bent" is not).
        return allowed > 0 && Math.Abs(typed.Length - known.Length) <= allowed
            && (typed[0] == known[0] || allowed > 1)
            && Distance(typed, known, allowed) <= allowed;
    }

    private static readonly HashSet<string> ShopWords = new(StringComparer.Ordinal)
    {
        "stock", "store", "shop", "cart", "basket", "order", "price", "size", "sizes", "colour", "color", "return", "refund", "ship",
        "shipping", "deliver", "delivery", "cost", "costs", "sale", "sell", "sold", "buy", "item", "items", "product", "products", "back",
        "many", "much", "have", "there", "these", "those", "about", "show", "tell", "what", "when", "where", "which", "with", "your", "some",
    };

    /// <summary>Damerau-Levenshtein distance (adjacent swaps count once), giving up above <paramref name="max"/>.</summary>
    public static int Distance(string a, string b, int max)
    {
        var rows = new int[3][];
        for (var r = 0; r < 3; r++)
        {
            rows[r] = new int[b.Length + 1];
        }
        for (var j = 0; j <= b.Length; j++)
        {
            rows[0][j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            // Three rows in turn: row i, row i - 1, row i - 2.
            var row = rows[i % 3];
            var previous = rows[(i + 2) % 3];
            var previous2 = rows[(i + 1) % 3];
            row[0] = i;
            var best = row[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, row[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }
                row[j] = value;
                best = Math.Min(best, value);
            }
            if (best > max)
            {
                return max + 1;
            }
        }
        return rows[a.Length % 3][b.Length];
    }
}
