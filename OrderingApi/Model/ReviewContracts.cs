namespace OrderingApi.Model;

// Request and response shapes of /api/reviews and /api/admin/reviews (JSON, camelCase). The storefront, the assistant
// and the tests read these names. Titles and bodies are plain text: stored as written, never as markup.

/// <summary>A customer's review of a product they bought: 1-5 stars, a title and an optional body.</summary>
public sealed record ReviewInput(int? Rating, string? Title, string? Body);

public sealed record HideReviewRequest(string? Reason);

/// <summary>Why a review is hidden (an admin's reason); <see cref="By"/> is shown to admins only.</summary>
public sealed record ReviewHidden(DateTimeOffset At, string Reason, string? By);

/// <param name="Author">The author's first name and last initial ("Alex W.").</param>
/// <param name="Mine">Written by the caller.</param>
/// <param name="MarkedHelpful">The caller marked it helpful.</param>
/// <param name="Hidden">Set when an admin hid it: only its author and admins see such a review.</param>
public sealed record ReviewResponse(
    long Id, int ProductId, string Author, int Rating, string Title, string Body, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int HelpfulCount, bool Mine, bool MarkedHelpful, ReviewHidden? Hidden);

/// <summary>The visible reviews' average stars (null when there are none), their number, and how many gave 1..5 stars.</summary>
public sealed record ReviewSummary(decimal? Average, int Count, IReadOnlyList<int> Stars);

public sealed record ReviewPage(ReviewSummary Summary, IReadOnlyList<ReviewResponse> Items, int Total, int Page, int PageSize, string Sort);

/// <summary>Whether the caller may review the product (and why not), and their review if they wrote one.</summary>
public sealed record MyReviewResponse(bool CanReview, string? Reason, ReviewResponse? Review);

public sealed record HelpfulResponse(long ReviewId, int HelpfulCount, bool MarkedHelpful);

/// <summary>A review as admins list it: with the product's name and the author's email.</summary>
public sealed record AdminReviewResponse(ReviewResponse Review, string ProductName, string AuthorEmail);

public sealed record AdminReviewPage(IReadOnlyList<AdminReviewResponse> Items, int Total, int Page, int PageSize);

public enum ReviewSort
{
    Newest,
    Helpful,
    Highest,
    Lowest,
}
