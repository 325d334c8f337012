using AssistantApi.Engines.Local;

namespace AssistantApi.Services;

/// <summary>Whether a message is a plain, explicit "yes" (what place_order waits for) or a plain "no".</summary>
public static class Affirmation
{
    private static readonly HashSet<string> Yes = new(StringComparer.Ordinal)
    {
        "yes", "yep", "yeah", "yup", "sure", "ok", "okay", "confirm", "confirmed", "confirming", "correct", "absolutely", "definitely", "ja", "y",
    };

    private static readonly string[] YesPhrases = ["go ahead", "place it", "place the order", "do it", "please do", "sounds good", "that's right", "thats right", "order it", "buy it"];

    private static readonly HashSet<string> No = new(StringComparer.Ordinal)
    {
        "no", "nope", "nah", "not", "dont", "don't", "cancel", "stop", "wait", "hold", "never", "n",
    };

    public static bool IsYes(string message)
    {
        var tokens = Text.Tokenize(message);
        if (tokens.Count is 0 or > 10 || tokens.Any(t => No.Contains(t.Text)))
        {
            return false;
        }
        var folded = Text.Fold(message);
        return tokens.Any(t => Yes.Contains(t.Text)) || YesPhrases.Any(p => folded.Contains(p, StringComparison.Ordinal));
    }

    public static bool IsNo(string message)
    {
        var tokens = Text.Tokenize(message);
        return tokens.Count is > 0 and <= 8 && tokens.Any(t => No.Contains(t.Text)) && !tokens.Any(t => Yes.Contains(t.Text));
    }
}
