using OrderingApi.Model;
using OrderingApi.Services.DemoHistory;
using OrderingApi.Services.Reviews;

namespace OrderingApi.Tests;

/// <summary>Review input rules, the summary arithmetic, and the demo history's reviews.</summary>
public sealed class ReviewTests
{
    [Theory]
    [InlineData(0, "Fine", null, "rating")]
    [InlineData(6, "Fine", null, "rating")]
    [InlineData(null, "Fine", null, "rating")]
    [InlineData(3, " ", null, "title")]
    [InlineData(3, "Two\nlines", null, "title")]
    [InlineData(3, "Bell\u0007", null, "title")]
    [InlineData(3, "Fine", "Escape \u001b[31m", "body")]
    public void Bad_input_is_refused_naming_the_field(int? rating, string title, string? body, string field)
    {
        Assert.Contains(field, ReviewRules.Check(new ReviewInput(rating, title, body), out _).Keys);
    }

    [Fact]
    public void Lengths_are_checked_and_text_is_kept_as_written_apart_from_trimming()
    {
        Assert.Contains("title", ReviewRules.Check(new ReviewInput(4, new string('t', ReviewRules.MaxTitleLength + 1), null), out _).Keys);
        Assert.Contains("body", ReviewRules.Check(new ReviewInput(4, "Ok", new string('b', ReviewRules.MaxBodyLength + 1)), out _).Keys);
        Assert.Empty(ReviewRules.Check(new ReviewInput(4, "  <b>Bold</b> & co  ", "Line\r\nnext\tcolumn "), out var review));
        Assert.Equal((4, "<b>Bold</b> & co", "Line\nnext\tcolumn"), review);
    }

    [Theory]
    [InlineData(null, "A customer")]
    [InlineData("Alex", "Alex")]
    [InlineData("Alex van der walker", "Alex W.")]
    public void Authors_are_shown_by_first_name_and_last_initial(string? name, string shown) =>
        Assert.Equal(shown, ReviewRules.AuthorName(name));

    [Fact]
    public void The_summary_is_the_average_of_the_stars_to_two_decimals()
    {
        var summary = ReviewStore.Summarize([1, 0, 0, 1, 1]); // 1 + 4 + 5
        Assert.Equal((3.33m, 3), (summary.Average, summary.Count));
        Assert.Null(ReviewStore.Summarize([0, 0, 0, 0, 0]).Average);
    }

    [Fact]
    public void Demo_reviews_are_deterministic_varied_not_for_every_purchase_and_read_like_their_stars()
    {
        var asOf = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var purchases = Enumerable.Range(0, 4000).Select(i => new DemoPurchase($"customer-{i % 900}", 1 + i % 40, "Quartz 3 Dome Tent",
            asOf.AddDays(-(i % 700) - 1))).DistinctBy(p => (p.CustomerId, p.ProductId)).ToList();
        var reviews = DemoReviewGenerator.Generate(purchases, 7, asOf);
        Assert.Equal(reviews, DemoReviewGenerator.Generate(Enumerable.Reverse(purchases), 7, asOf));
        Assert.InRange(reviews.Count, purchases.Count / 12, purchases.Count / 4);
        Assert.All(reviews, r => Assert.True(r.CreatedAt <= asOf && r.Rating is >= 1 and <= 5 && r.Title.Length > 0));
        Assert.Equal(5, reviews.Select(r => r.Rating).Distinct().Count());
        // Products differ in quality: their averages spread.
        var averages = reviews.GroupBy(r => r.ProductId).Select(g => g.Average(r => r.Rating)).ToList();
        Assert.True(averages.Max() - averages.Min() > 1.0);
        // The words fit the stars: no praise in one-star reviews, no complaint in five-star ones.
        Assert.DoesNotContain(reviews, r => r.Rating == 1 && (r.Title + r.Body).Contains("excellent", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(reviews, r => r.Rating == 5 && (r.Title + r.Body).Contains("disappoint", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(reviews, r => r.Title.Contains("tent", StringComparison.Ordinal));
    }
}
