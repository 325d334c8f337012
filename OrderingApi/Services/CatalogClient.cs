using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace OrderingApi.Services;

/// <summary>A reservation the catalog committed (a sale), under the order number that committed it.</summary>
public sealed record CommittedReservation(Guid Id, string Owner, string? Reference, DateTimeOffset CommittedAt);

public sealed record CommittedPage(List<CommittedReservation> Items, bool More);

/// <summary>A variant as catalog-api describes it (<c>GET /api/catalog/variants</c>).</summary>
public sealed record CatalogVariant(
    int Id,
    string Sku,
    int ProductId,
    string ProductSlug,
    string ProductName,
    string Brand,
    IReadOnlyDictionary<string, string> Options,
    decimal Price,
    int Available,
    string ImageUrl,
    bool Archived);

public sealed record CatalogCategoryRef(int Id, string Slug, string Name);

public sealed record CatalogProductVariant(int Id, string Sku, IReadOnlyDictionary<string, string> Options, decimal Price, int Available);

/// <summary>A product as catalog-api describes it (<c>GET /api/catalog/products/{id}</c>); the category path runs from the root.</summary>
public sealed record CatalogProduct(
    int Id, string Name, string Brand, DateTimeOffset CreatedAt, bool Archived, IReadOnlyList<CatalogCategoryRef> CategoryPath,
    IReadOnlyList<CatalogProductVariant> Variants);

public sealed record CatalogProductPage(List<CatalogProduct> Items, int? NextAfterId);

/// <summary>A product with each variant's price and stock (<c>GET /api/catalog/availability</c>, never cached).</summary>
public sealed record CatalogProductAvailability(
    int Id, string Slug, string Name, string Brand, string ImageUrl, decimal? PriceFrom, decimal? PriceTo, bool InStock, bool Archived,
    IReadOnlyList<CatalogProductVariant> Variants);

/// <summary>A product's rating summary as the catalog keeps it: average stars of the visible reviews (null: none), how many.</summary>
public sealed record ProductRating(int ProductId, decimal? Average, int Count);

public sealed record CatalogReservation(Guid Id, string Status, DateTimeOffset ExpiresAt);

public enum ReserveResult
{
    Reserved,
    Insufficient,
    UnknownVariant,
}

/// <param name="Available">What is available of the variant when the catalog refused for lack of stock.</param>
public sealed record ReserveOutcome(ReserveResult Result, CatalogReservation? Reservation = null, int Available = 0);

/// <summary>A variant a commit sold, as the catalog described it at that moment.</summary>
public sealed record CatalogCommittedLine(int VariantId, int ProductId, string Sku, string ProductName, IReadOnlyDictionary<string, string> Options, decimal Price, int Quantity);

/// <summary>A variant that stopped a commit: another price than expected, or no longer sold.</summary>
public sealed record CatalogLineProblem(int VariantId, string Sku, decimal? ExpectedPrice, decimal Price, bool Sold);

/// <summary>
/// A batch commit or return: done (a commit lists what it sold), or refused: the reservations the catalog refused with
/// their status there (expired, released, ...), or for a commit the variants whose price changed or are no longer sold.
/// </summary>
public sealed record BatchOutcome(
    bool Done, IReadOnlyDictionary<Guid, string> Refused, IReadOnlyList<CatalogCommittedLine>? Lines = null, IReadOnlyList<CatalogLineProblem>? LineProblems = null);

/// <summary>
/// OrderingApi's calls to catalog-api: variant reads (anonymous) and stock reservations. Reservation calls carry a
/// service token with the scope <c>stock:reserve</c> that OrderingApi mints for itself (it is the token issuer, so it
/// needs no secret), kept until a minute before it ends. Service discovery and resilience come from the defaults.
/// </summary>
public sealed class CatalogClient(HttpClient http, OwnServiceToken token, IMemoryCache cache)
{
    /// <summary>How long a variant's description is reused for cart lines (checkout's commit checks the prices in the catalog).</summary>
    private static readonly TimeSpan DescriptionLifetime = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A variant's description for a cart line, kept here for a few seconds (a busy product is added to many carts);
    /// whether stock is there is the reservation's business, and checkout's commit checks the prices.
    /// </summary>
    public async Task<CatalogVariant?> DescribeVariantAsync(int id, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue<CatalogVariant>(("catalog-variant", id), out var known))
        {
            return known;
        }
        var variant = await GetVariantAsync(id, cancellationToken);
        if (variant is not null)
        {
            cache.Set(("catalog-variant", id), variant, DescriptionLifetime);
        }
        return variant;
    }

    /// <summary>Drops a variant's kept description (the catalog said it changed): the next cart line reads it afresh.</summary>
    public void Forget(int id) => cache.Remove(("catalog-variant", id));

    public async Task<CatalogVariant?> GetVariantAsync(int id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/catalog/variants/{id}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CatalogVariant>(Json, cancellationToken);
    }

    /// <summary>
    /// A page of product details in id order, archived products included (<c>GET /api/catalog/product-details</c>, scope
    /// <c>catalog:read</c>): the products after <paramref name="afterId"/>, and the <c>afterId</c> of the next page (null at the end).
    /// </summary>
    public async Task<CatalogProductPage> ListProductDetailsAsync(int afterId, int limit, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/catalog/product-details?afterId={afterId}&limit={limit}", null, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CatalogProductPage>(Json, cancellationToken))!;
    }

    public async Task<CatalogProduct?> GetProductAsync(int id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/catalog/products/{id}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CatalogProduct>(Json, cancellationToken);
    }

    /// <summary>Up to 100 products in one call, with their stock as it is now; products the catalog does not know are left out.</summary>
    public async Task<IReadOnlyList<CatalogProductAvailability>> GetAvailabilityAsync(IReadOnlyCollection<int> productIds, CancellationToken cancellationToken)
    {
        if (productIds.Count == 0)
        {
            return [];
        }
        return await http.GetFromJsonAsync<List<CatalogProductAvailability>>(
            "/api/catalog/availability?productIds=" + string.Join(',', productIds), Json, cancellationToken) ?? [];
    }

    /// <summary>Holds <paramref name="quantity"/> of a variant for <paramref name="seconds"/> under an id chosen here.</summary>
    public async Task<ReserveOutcome> ReserveAsync(Guid id, string owner, int variantId, int quantity, int seconds, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/stock/reservations",
            new { id, owner, lines = new[] { new { variantId, quantity } }, expiresInSeconds = seconds }, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Created or HttpStatusCode.OK:
                return new ReserveOutcome(ReserveResult.Reserved, await ReadReservationAsync(response, cancellationToken));
            case HttpStatusCode.Conflict:
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
                var available = problem.TryGetProperty("shortages", out var shortages) && shortages.GetArrayLength() > 0
                    ? shortages[0].GetProperty("available").GetInt32()
                    : 0;
                return new ReserveOutcome(ReserveResult.Insufficient, Available: available);
            case HttpStatusCode.BadRequest:
                // The catalog answers 400 for variants it does not know (our own input was checked before).
                return new ReserveOutcome(ReserveResult.UnknownVariant);
            default:
                response.EnsureSuccessStatusCode();
                throw new InvalidOperationException($"Unexpected answer {(int)response.StatusCode} from the catalog.");
        }
    }

    /// <summary>Moves an active reservation's expiry to now + seconds; null when it is no longer active (expired, ended).</summary>
    public async Task<CatalogReservation?> ExtendAsync(Guid id, int seconds, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/stock/reservations/{id}/extend", new { expiresInSeconds = seconds }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await ReadReservationAsync(response, cancellationToken);
    }

    /// <summary>Gives the stock back (a repeat, or an expired reservation, is fine).</summary>
    public async Task ReleaseAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/api/stock/reservations/{id}", null, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.Conflict))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// Commits the reservations as one sale at the given unit prices: all of them or none (then the refused
    /// reservations, or the variants whose price is another now or that are no longer sold, are named).
    /// </summary>
    public async Task<BatchOutcome> CommitAsync(IReadOnlyList<Guid> ids, string reference, IReadOnlyDictionary<int, decimal> prices, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/stock/reservations/commit",
            new { ids, reference, prices = prices.Select(p => new { variantId = p.Key, price = p.Value }) }, cancellationToken);
        if (await RefusedAsync(response, cancellationToken) is { } refused)
        {
            return refused;
        }
        var committed = await response.Content.ReadFromJsonAsync<CommitAnswer>(Json, cancellationToken);
        return new BatchOutcome(true, new Dictionary<Guid, string>(), committed?.Lines ?? []);
    }

    /// <summary>
    /// Puts the stock of committed reservations back on hand (a cancelled order); repeats are harmless. With
    /// <paramref name="requireReference"/>, only if they are still committed under <paramref name="reference"/>.
    /// </summary>
    public async Task<BatchOutcome> ReturnAsync(IReadOnlyList<Guid> ids, string reference, CancellationToken cancellationToken, bool requireReference = false)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/stock/reservations/return", new { ids, reference, requireReference }, cancellationToken);
        return await RefusedAsync(response, cancellationToken) ?? new BatchOutcome(true, new Dictionary<Guid, string>());
    }

    /// <summary>
    /// A page of the reservations this service committed, in commit order: after (<paramref name="from"/>,
    /// <paramref name="afterId"/>) and before <paramref name="to"/>.
    /// </summary>
    public async Task<CommittedPage> ListCommittedAsync(DateTimeOffset from, Guid afterId, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var path = $"/api/stock/reservations/committed?from={Uri.EscapeDataString(from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}"
            + $"&to={Uri.EscapeDataString(to.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}&afterId={afterId}&limit={limit}";
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CommittedPage>(Json, cancellationToken))!;
    }

    /// <summary>
    /// Tells the catalog products' rating summaries as read at <paramref name="asOf"/> (with <paramref name="replaceAll"/>,
    /// every product not named has no reviews); returns how many products changed there.
    /// </summary>
    public async Task<int> SetRatingsAsync(IReadOnlyList<ProductRating> ratings, DateTimeOffset asOf, bool replaceAll, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, "/api/catalog/ratings", new { ratings, asOf, replaceAll }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken)).GetProperty("updated").GetInt32();
    }

    private static async Task<BatchOutcome?> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is not (HttpStatusCode.Conflict or HttpStatusCode.NotFound))
        {
            response.EnsureSuccessStatusCode();
            return null;
        }
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
        var refused = problem.TryGetProperty("reservations", out var list)
            ? list.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetGuid(), r => r.GetProperty("status").GetString() ?? "unknown")
            : [];
        var lines = problem.TryGetProperty("variants", out var variants) ? variants.Deserialize<List<CatalogLineProblem>>(Json) : null;
        return new BatchOutcome(false, refused, LineProblems: lines ?? []);
    }

    private sealed record CommitAnswer(List<CatalogCommittedLine> Lines);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Get());
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
            // Every call here is safe to repeat (reservation ids are ours, commits and returns repeat harmlessly):
            // the key lets the resilience handler retry it after a network error.
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }
        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task<CatalogReservation> ReadReservationAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await response.Content.ReadFromJsonAsync<CatalogReservation>(Json, cancellationToken))!;
}

/// <summary>
/// OrderingApi's own service token (scopes <c>stock:reserve</c>, <c>ratings:write</c> and <c>catalog:read</c>), minted in-process (it is the issuer, so it needs no
/// secret) and reused until a minute before it ends.
/// </summary>
public sealed class OwnServiceToken(ServiceTokenIssuer tokens, TimeProvider timeProvider)
{
    public const string ClientId = "ordering-api";
    public const string ReserveScope = "stock:reserve";
    public const string RatingsScope = "ratings:write";
    public const string CatalogReadScope = "catalog:read";

    private readonly Lock _lock = new();
    private (string Token, DateTimeOffset RenewAt)? _current;

    public string Get()
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_current is { } cached && now < cached.RenewAt)
            {
                return cached.Token;
            }
            var identity = new ClaimsIdentity(ServiceClientAuthenticator.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
            identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, ClientId));
            identity.AddClaim(new Claim(ClaimTypes.Name, ClientId));
            identity.AddClaim(new Claim(AppClaimTypes.ClientId, ClientId));
            identity.AddClaim(new Claim(AppClaimTypes.Scope, ReserveScope));
            identity.AddClaim(new Claim(AppClaimTypes.Scope, RatingsScope));
            identity.AddClaim(new Claim(AppClaimTypes.Scope, CatalogReadScope));
            var issued = tokens.Issue(new ClaimsPrincipal(identity));
            _current = (issued.AccessToken, now + TimeSpan.FromSeconds(Math.Max(1, issued.ExpiresIn - 60)));
            return issued.AccessToken;
        }
    }
}
