namespace Storefront.Model;

// The shapes the storefront reads from OrderingApi's /api/reviews and /api/admin/reviews (see OrderingApi/Model/ReviewContracts.cs).

public sealed record ReviewHidden(DateTimeOffset At, string Reason, string? By);

public sealed record Review(
    long Id, int ProductId, string Author, int Rating, string Title, string Body, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int HelpfulCount, bool Mine, bool MarkedHelpful, ReviewHidden? Hidden);

/// <summary>Visible reviews' average (null: none), count, and how many gave 1..5 stars (index 0 is one star).</summary>
public sealed record ReviewSummary(decimal? Average, int Count, IReadOnlyList<int> Stars);

public sealed record ReviewPage(ReviewSummary Summary, IReadOnlyList<Review> Items, int Total, int Page, int PageSize, string Sort);

public sealed record MyReview(bool CanReview, string? Reason, Review? Review);

public sealed record ReviewInput(int? Rating, string? Title, string? Body);

public sealed record HelpfulVote(long ReviewId, int HelpfulCount, bool MarkedHelpful);

public sealed record AdminReview(Review Review, string ProductName, string AuthorEmail);

public sealed record AdminReviewPage(IReadOnlyList<AdminReview> Items, int Total, int Page, int PageSize);
