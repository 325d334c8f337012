using System.Globalization;
using System.Text;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace CatalogApi.Services.Search;

/// <summary>
/// How the search index reads text, the same for products and for queries: lower case without accents
/// ("Fjellström" is "fjellstrom"), words are runs of letters and digits ("hard-wearing" is "hard" and "wearing"), and
/// each word counts by its English stem (Snowball's Porter2, the stemmer PostgreSQL's english_stem also uses).
/// </summary>
internal static class CatalogText
{
    [ThreadStatic]
    private static EnglishStemmer? _stemmer;

    /// <summary>The words of <paramref name="text"/>, lower case and without accents.</summary>
    public static List<string> Words(string text)
    {
        var plain = Plain(text);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= plain.Length; i++)
        {
            var inWord = i < plain.Length && char.IsLetterOrDigit(plain[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(plain[start..i]);
                start = -1;
            }
        }
        return words;
    }

    /// <summary>Lower case, accents removed.</summary>
    public static string Plain(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        if (decomposed.All(char.IsAscii))
        {
            return decomposed;
        }
        var plain = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(c);
            }
        }
        return plain.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>A word's English stem ("jackets" and "jacket" are "jacket"); words with digits are kept as they are.</summary>
    public static string Stem(string word)
    {
        if (word.Length < 3 || word.Any(char.IsDigit))
        {
            return word;
        }
        var stemmer = _stemmer ??= new EnglishStemmer();
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current;
    }

    /// <summary>Words the spelling corrector may suggest: letters only, 3 to 40 of them (as PostgreSQL's search_terms had).</summary>
    public static bool IsVocabularyWord(string word) => word.Length is >= 3 and <= 40 && word.All(char.IsLetter);

    /// <summary>pg_trgm's trigrams of one word: padded with two spaces in front and one behind, distinct.</summary>
    public static HashSet<string> Trigrams(string word)
    {
        var padded = "  " + word + " ";
        var trigrams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            trigrams.Add(padded.Substring(i, 3));
        }
        return trigrams;
    }

    /// <summary>Edit distance (insert, delete, replace one letter), giving up (returning more than <paramref name="max"/>) early.</summary>
    public static int Levenshtein(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return max + 1;
        }
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                best = Math.Min(best, current[j]);
            }
            if (best > max)
            {
                return max + 1;
            }
            current.CopyTo(previous);
        }
        return previous[b.Length];
    }
}
