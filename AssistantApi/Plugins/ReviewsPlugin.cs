using System.ComponentModel;
using AssistantApi.Model;
using AssistantApi.Tools;
using Microsoft.SemanticKernel;

namespace AssistantApi.Plugins;

/// <summary>
/// What customers say about a product (anyone may ask): the average of its visible reviews, how many there are, and a
/// few short quotes from the most helpful ones: praise and criticism both, when there is some of each.
/// </summary>
public sealed class ReviewsPlugin(TurnContext turn, CatalogClient catalog, OrderingClient ordering)
{
    public const int MaxQuotes = 3;
    public const int QuoteLength = 140;

    [KernelFunction("get_product_reviews"), Description("What customers say about a product: its average rating (1-5 stars), how many reviewed it, and a few short quotes from the most helpful reviews.")]
    public async Task<ReviewsResult> GetProductReviewsAsync(
        [Description("The product's id (from search_products)")] int productId, CancellationToken cancellationToken = default)
    {
        var productTask = catalog.GetProductAsync(productId, cancellationToken);
        var reviews = await ordering.GetReviewsAsync(productId, "helpful", 20, cancellationToken);
        var product = await productTask;
        turn.Discuss(product);
        var summary = reviews.Summary;
        return new ReviewsResult(product.Id, product.Name, summary.Average, summary.Count, summary.Stars, Quotes(reviews.Items));
    }

    /// <summary>The most helpful praise (4-5 stars), the most helpful criticism (1-2), then the most helpful others, each shortened.</summary>
    public static IReadOnlyList<ReviewQuote> Quotes(IReadOnlyList<ShopReview> mostHelpfulFirst)
    {
        var picked = new List<ShopReview>();
        void Take(Func<ShopReview, bool> which)
        {
            if (picked.Count < MaxQuotes && mostHelpfulFirst.FirstOrDefault(r => which(r) && !picked.Contains(r)) is { } review)
            {
                picked.Add(review);
            }
        }
        Take(r => r.Rating >= 4);
        Take(r => r.Rating <= 2);
        while (picked.Count < Math.Min(MaxQuotes, mostHelpfulFirst.Count))
        {
            Take(_ => true);
        }
        return [.. picked.Select(r => new ReviewQuote(r.Rating, r.Title, Shorten(r.Body.Length > 0 ? r.Body : r.Title), r.Author, r.HelpfulCount))];
    }

    /// <summary>The text up to <see cref="QuoteLength"/> characters, cut at a word with an ellipsis; on one line.</summary>
    public static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (line.Length <= QuoteLength)
        {
            return line;
        }
        var cut = line.LastIndexOf(' ', QuoteLength - 1);
        return line[..(cut > QuoteLength / 2 ? cut : QuoteLength - 1)].TrimEnd(',', ';', ':', '.', ' ') + "…";
    }
}
