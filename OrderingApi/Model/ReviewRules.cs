namespace OrderingApi.Model;

/// <summary>The checks of review input, in one place (pure, unit tested): errors keyed by JSON field.</summary>
public static class ReviewRules
{
    public const int MaxTitleLength = 120;
    public const int MaxBodyLength = 4000;
    public const int MinReasonLength = 3;
    public const int MaxReasonLength = 500;

    /// <summary>Checks and trims a review: rating 1-5, a title of 1-120 characters on one line, a body of up to 4,000.</summary>
    public static Dictionary<string, string[]> Check(ReviewInput input, out (int Rating, string Title, string Body) review)
    {
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim() ?? "";
        var body = (input.Body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (input.Rating is not (>= 1 and <= 5))
        {
            errors["rating"] = ["The rating is a whole number of stars from 1 to 5."];
        }
        if (title.Length == 0 || title.Length > MaxTitleLength)
        {
            errors["title"] = [$"The title is required, up to {MaxTitleLength} characters."];
        }
        else if (title.Any(char.IsControl))
        {
            errors["title"] = ["The title is one line of text."];
        }
        if (body.Length > MaxBodyLength)
        {
            errors["body"] = [$"The review is limited to {MaxBodyLength} characters."];
        }
        else if (body.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            errors["body"] = ["The review may hold text, line breaks and tabs only."];
        }
        review = (input.Rating ?? 0, title, body);
        return errors;
    }

    public static Dictionary<string, string[]> CheckHide(HideReviewRequest? request, out string reason)
    {
        reason = request?.Reason?.Trim() ?? "";
        return reason.Length is < MinReasonLength or > MaxReasonLength || reason.Any(char.IsControl)
            ? new() { ["reason"] = [$"Say why the review is hidden: {MinReasonLength} to {MaxReasonLength} characters on one line."] }
            : [];
    }

    public static bool TryParseSort(string? text, out ReviewSort sort)
    {
        sort = ReviewSort.Newest;
        return string.IsNullOrWhiteSpace(text)
            || (!text.Any(char.IsDigit) && Enum.TryParse(text.Trim().Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out sort) && Enum.IsDefined(sort));
    }

    /// <summary>How a review's author is shown: first name and last initial ("Alex W."), else "A customer".</summary>
    public static string AuthorName(string? name)
    {
        var parts = (name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            0 => "A customer",
            1 => parts[0],
            _ => $"{parts[0]} {char.ToUpperInvariant(parts[^1][0])}.",
        };
    }
}
