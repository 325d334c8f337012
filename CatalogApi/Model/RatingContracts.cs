namespace CatalogApi.Model;

/// <summary>One product's rating summary as OrderingApi computed it: the average of its visible reviews (null when none) and their number.</summary>
public sealed record ProductRatingInput(int ProductId, decimal? Average, int Count);

/// <summary>
/// <c>PUT /api/catalog/ratings</c>: summaries read in OrderingApi at <see cref="AsOf"/> (a summary older than the one a
/// product holds is ignored). With <see cref="ReplaceAll"/> every product not listed has no reviews (a full rebuild).
/// </summary>
public sealed record ProductRatingsRequest(List<ProductRatingInput>? Ratings, DateTimeOffset? AsOf, bool ReplaceAll = false);

/// <summary>How many products took the new summaries (others already held a newer one, or did not change).</summary>
public sealed record ProductRatingsResponse(int Updated);
