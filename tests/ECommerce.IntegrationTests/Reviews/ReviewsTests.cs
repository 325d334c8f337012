using System.Net;
using System.Text.Json;
using ECommerce.IntegrationTests.Assistant;
using ECommerce.IntegrationTests.Catalog;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;
using ECommerce.IntegrationTests.Ordering;

namespace ECommerce.IntegrationTests.Reviews;

/// <summary>
/// Ratings and reviews through the running app: only customers who received the product review it, once, and only
/// they edit it; helpful votes count once and never the author's; admins hide with a reason; the catalog's rating
/// summaries (listing, product page, sort by rating) equal the averages computed here from the reviews themselves.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReviewsTests(AppFixture fixture)
{
    private readonly CatalogClient _catalog = new(fixture.App);

    private static string Mine(int productId) => $"/api/reviews/products/{productId}/mine";

    /// <summary>A new customer who bought one of the variant and, unless <paramref name="delivered"/> is false, received it.</summary>
    private async Task<Shopper> BuyerAsync(int variantId, bool delivered = true)
    {
        var shopper = await new Shopper(fixture.App).SignUpAsync();
        await shopper.AddOkAsync(variantId, 1);
        var order = await shopper.CheckoutOkAsync();
        if (delivered)
        {
            var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
            var id = order.GetProperty("id").GetInt64();
            await admin.PostJsonAsync($"/api/orders/{id}/ship");
            await admin.PostJsonAsync($"/api/orders/{id}/deliver");
        }
        return shopper;
    }

    private static async Task<JsonElement> WriteAsync(Shopper shopper, int productId, object review, HttpStatusCode expected)
    {
        using var response = await shopper.SendAsync(HttpMethod.Put, Mine(productId), review);
        await IdentityClient.ExpectAsync(expected, response);
        return await IdentityClient.ReadJsonAsync(response);
    }

    private async Task<(decimal? Average, int Count)> CatalogRatingAsync(int productId)
    {
        var rating = (await _catalog.GetJsonAsync($"/api/catalog/products/{productId}")).GetProperty("rating");
        return (rating.GetProperty("average").ValueKind == JsonValueKind.Null ? null : rating.GetProperty("average").GetDecimal(), rating.GetProperty("count").GetInt32());
    }

    /// <summary>Every visible review of a product, read page by page as anyone can.</summary>
    private async Task<List<JsonElement>> AllReviewsAsync(int productId)
    {
        var anonymous = new Shopper(fixture.App);
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var items = (await anonymous.GetJsonAsync($"/api/reviews/products/{productId}?pageSize=50&page={page}")).GetProperty("items");
            all.AddRange(items.EnumerateArray());
            if (items.GetArrayLength() < 50)
            {
                return all;
            }
        }
    }

    [Fact]
    public async Task Only_a_customer_who_received_the_product_reviews_it_once_edits_it_and_others_cannot()
    {
        var product = await _catalog.CreateProductAsync([20], noun: "Review Lantern");
        try
        {
            // Bought but not delivered yet: not eligible, and told why.
            var buyer = await BuyerAsync(product.VariantIds[0], delivered: false);
            var mine = await buyer.GetJsonAsync(Mine(product.Id));
            Assert.False(mine.GetProperty("canReview").GetBoolean());
            Assert.Contains("received", mine.GetProperty("reason").GetString());
            var refused = await Shopper.ProblemAsync(HttpStatusCode.Forbidden, await buyer.SendAsync(HttpMethod.Put, Mine(product.Id), new { rating = 5, title = "Early" }));
            Assert.Equal("Not a verified purchase", refused.GetProperty("title").GetString());

            // Received: the first review is created (201), kept as plain text, and the catalog's summary follows.
            var received = await BuyerAsync(product.VariantIds[0]);
            Assert.True((await received.GetJsonAsync(Mine(product.Id))).GetProperty("canReview").GetBoolean());
            const string markup = "<script>alert('x')</script> <b>Bright</b> & warm";
            var created = await WriteAsync(received, product.Id, new { rating = 4, title = markup, body = "Line one.\r\nLine two." }, HttpStatusCode.Created);
            Assert.Equal(markup, created.GetProperty("title").GetString());
            Assert.Equal("Line one.\nLine two.", created.GetProperty("body").GetString());
            Assert.True(created.GetProperty("mine").GetBoolean());
            Assert.Equal((4m, 1), await CatalogRatingAsync(product.Id));

            // Editing keeps one review (200, same id) with the new stars.
            var edited = await WriteAsync(received, product.Id, new { rating = 2, title = "Dimmer than hoped" }, HttpStatusCode.OK);
            Assert.Equal(created.GetProperty("id").GetInt64(), edited.GetProperty("id").GetInt64());
            var list = await AllReviewsAsync(product.Id);
            Assert.Equal(2, Assert.Single(list).GetProperty("rating").GetInt32());
            Assert.Equal((2m, 1), await CatalogRatingAsync(product.Id));

            // Another customer cannot write here (no purchase) and has no way to reach the first one's review.
            var stranger = await new Shopper(fixture.App).SignUpAsync();
            await Shopper.ProblemAsync(HttpStatusCode.Forbidden, await stranger.SendAsync(HttpMethod.Put, Mine(product.Id), new { rating = 5, title = "Overwrite" }));
            var strangers = await stranger.GetJsonAsync(Mine(product.Id));
            Assert.Equal(JsonValueKind.Null, strangers.GetProperty("review").ValueKind);
            Assert.Equal("Dimmer than hoped", Assert.Single(await AllReviewsAsync(product.Id)).GetProperty("title").GetString());

            // Anonymous callers read but never write.
            using var anonymous = await new Shopper(fixture.App).SendAsync(HttpMethod.Put, Mine(product.Id), new { rating = 5, title = "Anon" });
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    public static TheoryData<string, string> BadReviews => new()
    {
        { """{"rating":0,"title":"Fine"}""", "rating" },
        { """{"rating":6,"title":"Fine"}""", "rating" },
        { """{"title":"No stars"}""", "rating" },
        { """{"rating":3,"title":"  "}""", "title" },
        { $$"""{"rating":3,"title":"{{new string('t', 121)}}"}""", "title" },
        { """{"rating":3,"title":"Two\nlines"}""", "title" },
        { $$"""{"rating":3,"title":"Long","body":"{{new string('b', 4001)}}"}""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadReviews))]
    public async Task Bad_reviews_answer_400_naming_the_field(string json, string field)
    {
        var customer = await new Shopper(fixture.App).SignUpAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, Mine(1)) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", customer.Token);
        using var response = await fixture.App.CreateHttpClient(Shopper.Service).SendAsync(request, Shopper.Cancellation);
        Assert.Contains(field, (await IdentityClient.ValidationErrorsAsync(response)).Keys);
    }

    [Theory]
    [InlineData("sort=best", "sort")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=51", "pageSize")]
    [InlineData("page=x", "page")]
    public async Task Bad_list_parameters_answer_400(string query, string field)
    {
        using var response = await new Shopper(fixture.App).SendAsync(HttpMethod.Get, $"/api/reviews/products/1?{query}");
        Assert.Contains(field, (await IdentityClient.ValidationErrorsAsync(response)).Keys);
    }

    [Fact]
    public async Task Helpful_counts_once_per_customer_never_the_authors_own_and_orders_the_list()
    {
        var product = await _catalog.CreateProductAsync([20], noun: "Helpful Stove");
        try
        {
            var (first, second) = (await BuyerAsync(product.VariantIds[0]), await BuyerAsync(product.VariantIds[0]));
            var older = await WriteAsync(first, product.Id, new { rating = 5, title = "Boils fast", body = "Two minutes for a litre." }, HttpStatusCode.Created);
            var newer = await WriteAsync(second, product.Id, new { rating = 4, title = "Good stove" }, HttpStatusCode.Created);
            var id = older.GetProperty("id").GetInt64();

            var voter = await new Shopper(fixture.App).SignUpAsync();
            Assert.Equal(1, (await voter.PostJsonAsync($"/api/reviews/{id}/helpful")).GetProperty("helpfulCount").GetInt32());
            Assert.Equal(1, (await voter.PostJsonAsync($"/api/reviews/{id}/helpful")).GetProperty("helpfulCount").GetInt32());
            Assert.Equal(2, (await second.PostJsonAsync($"/api/reviews/{id}/helpful")).GetProperty("helpfulCount").GetInt32());
            await Shopper.ProblemAsync(HttpStatusCode.Forbidden, await first.SendAsync(HttpMethod.Post, $"/api/reviews/{id}/helpful"));
            using (var missing = await voter.SendAsync(HttpMethod.Post, $"/api/reviews/{long.MaxValue}/helpful"))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
            using (var anonymous = await new Shopper(fixture.App).SendAsync(HttpMethod.Post, $"/api/reviews/{id}/helpful"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            // Newest first by default; most helpful first on request; the voter sees what they marked.
            var newest = await voter.GetJsonAsync($"/api/reviews/products/{product.Id}");
            Assert.Equal([newer.GetProperty("id").GetInt64(), id], newest.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
            var helpful = await voter.GetJsonAsync($"/api/reviews/products/{product.Id}?sort=helpful");
            var top = helpful.GetProperty("items")[0];
            Assert.Equal(id, top.GetProperty("id").GetInt64());
            Assert.Equal(2, top.GetProperty("helpfulCount").GetInt32());
            Assert.True(top.GetProperty("markedHelpful").GetBoolean());
            Assert.Equal(4.5m, helpful.GetProperty("summary").GetProperty("average").GetDecimal());
            Assert.Equal([0, 0, 0, 1, 1], helpful.GetProperty("summary").GetProperty("stars").EnumerateArray().Select(s => s.GetInt32()));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task An_admin_hides_a_review_with_a_reason_it_leaves_the_list_and_the_average_and_its_author_sees_why()
    {
        var product = await _catalog.CreateProductAsync([20], noun: "Moderated Tarp");
        try
        {
            var (kind, rude) = (await BuyerAsync(product.VariantIds[0]), await BuyerAsync(product.VariantIds[0]));
            await WriteAsync(kind, product.Id, new { rating = 5, title = "Keeps the rain off" }, HttpStatusCode.Created);
            var abusive = await WriteAsync(rude, product.Id, new { rating = 1, title = "Insults" }, HttpStatusCode.Created);
            var id = abusive.GetProperty("id").GetInt64();
            Assert.Equal((3m, 2), await CatalogRatingAsync(product.Id));

            var admin = await new Shopper(fixture.App).SignInAsAdminAsync();
            using (var noReason = await admin.SendAsync(HttpMethod.Post, $"/api/admin/reviews/{id}/hide", new { reason = " " }))
            {
                Assert.Contains("reason", (await IdentityClient.ValidationErrorsAsync(noReason)).Keys);
            }
            using (var customer = await kind.SendAsync(HttpMethod.Post, $"/api/admin/reviews/{id}/hide", new { reason = "Not mine to hide" }))
            {
                Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
            }
            var hidden = await admin.PostJsonAsync($"/api/admin/reviews/{id}/hide", new { reason = "Abusive language" });
            Assert.Equal("Abusive language", hidden.GetProperty("review").GetProperty("hidden").GetProperty("reason").GetString());

            // Gone from the list and the average; its author still sees it, hidden, with the reason (not who hid it).
            Assert.Equal("Keeps the rain off", Assert.Single(await AllReviewsAsync(product.Id)).GetProperty("title").GetString());
            Assert.Equal((5m, 1), await CatalogRatingAsync(product.Id));
            var authors = (await rude.GetJsonAsync(Mine(product.Id))).GetProperty("review");
            Assert.Equal("Abusive language", authors.GetProperty("hidden").GetProperty("reason").GetString());
            Assert.Equal(JsonValueKind.Null, authors.GetProperty("hidden").GetProperty("by").ValueKind);
            using (var vote = await kind.SendAsync(HttpMethod.Post, $"/api/reviews/{id}/helpful"))
            {
                Assert.Equal(HttpStatusCode.NotFound, vote.StatusCode);
            }
            var hiddenList = await admin.GetJsonAsync($"/api/admin/reviews?productId={product.Id}&hidden=true");
            Assert.Equal(id, Assert.Single(hiddenList.GetProperty("items").EnumerateArray()).GetProperty("review").GetProperty("id").GetInt64());

            // Shown again: back in both.
            await admin.PostJsonAsync($"/api/admin/reviews/{id}/unhide");
            Assert.Equal(2, (await AllReviewsAsync(product.Id)).Count);
            Assert.Equal((3m, 2), await CatalogRatingAsync(product.Id));
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task The_demo_historys_ratings_in_the_catalog_equal_averages_computed_from_the_reviews_and_sort_the_listing()
    {
        // The demo history writes its reviews after its orders, then sends every summary to the catalog.
        var rated = await Eventually.ReturnsAsync(() => _catalog.ListAsync("sort=rating&pageSize=100"),
            page => page.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("rating").GetProperty("count").GetInt32() > 0) > 50,
            TimeSpan.FromSeconds(120), "the demo history's reviews in the catalog");
        var items = rated.GetProperty("items").EnumerateArray().ToList();
        // Rated first, by the average as if five three-star reviews came first (a Bayesian average), down.
        var scores = items.Select(i => i.GetProperty("rating")).Select(r => r.GetProperty("average").ValueKind == JsonValueKind.Null ? 0m
            : (5 * 3m + r.GetProperty("count").GetInt32() * r.GetProperty("average").GetDecimal()) / (5 + r.GetProperty("count").GetInt32())).ToList();
        Assert.All(scores.Zip(scores.Skip(1)), pair => Assert.True(pair.First >= pair.Second - 0.000001m, $"{pair.First} before {pair.Second}"));

        // Top, middle and bottom of the rated ones: the summary is exactly the reviews' own average and count.
        var ratedItems = items.Where(i => i.GetProperty("rating").GetProperty("count").GetInt32() > 0).ToList();
        foreach (var item in new[] { ratedItems[0], ratedItems[ratedItems.Count / 2], ratedItems[^1] })
        {
            var id = item.GetProperty("id").GetInt32();
            var reviews = await AllReviewsAsync(id);
            var expected = Math.Round((decimal)reviews.Sum(r => r.GetProperty("rating").GetInt32()) / reviews.Count, 2, MidpointRounding.AwayFromZero);
            Assert.Equal((expected, reviews.Count), (item.GetProperty("rating").GetProperty("average").GetDecimal(), item.GetProperty("rating").GetProperty("count").GetInt32()));
            Assert.Equal((expected, reviews.Count), await CatalogRatingAsync(id));
            Assert.All(reviews, r => Assert.InRange(r.GetProperty("rating").GetInt32(), 1, 5));
        }

        // A minimum rating keeps only products rated that high; out of range is a 400.
        var good = await _catalog.ListAsync("minRating=4.5&pageSize=100");
        Assert.All(good.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("rating").GetProperty("average").GetDecimal() >= 4.5m));
        using var bad = await _catalog.SendAsync(HttpMethod.Get, "/api/catalog/products?minRating=6");
        Assert.Contains("minRating", (await IdentityClient.ValidationErrorsAsync(bad)).Keys);
    }

    [Fact]
    public async Task The_assistant_answers_what_people_say_from_the_reviews_with_count_average_and_quotes()
    {
        var product = await _catalog.CreateProductAsync([20], noun: "Quoted Headlamp");
        try
        {
            var (fan, critic) = (await BuyerAsync(product.VariantIds[0]), await BuyerAsync(product.VariantIds[0]));
            await WriteAsync(fan, product.Id, new { rating = 5, title = "Blinding", body = "Lights up the whole trail and the battery lasts all weekend." }, HttpStatusCode.Created);
            await WriteAsync(critic, product.Id, new { rating = 2, title = "Strap snapped", body = "The strap snapped on the second night." }, HttpStatusCode.Created);

            // On the product's page: "what do people say about it?"
            var assistant = new AssistantClient(fixture.App);
            var answer = await assistant.SayAsync("What do people say about it?", productPage: product.Id);
            var call = AssistantClient.Call(answer, "get_product_reviews");
            Assert.True(call.GetProperty("succeeded").GetBoolean());
            Assert.Equal(product.Id, call.GetProperty("arguments").GetProperty("productId").GetInt32());
            var reply = AssistantClient.Reply(answer);
            Assert.Contains("3.5 out of 5", reply);
            Assert.Contains("2 reviews", reply);
            Assert.Contains("battery lasts all weekend", reply);
            Assert.Contains("strap snapped on the second night", reply);

            // By name, for a product of the demo history: the figures are the catalog's.
            const string slug = "northridge-squall-1-ultralight-tent";
            var tent = await _catalog.GetJsonAsync($"/api/catalog/products/{slug}");
            var (average, count) = await Eventually.ReturnsAsync(() => CatalogRatingAsync(tent.GetProperty("id").GetInt32()), r => r.Count > 0,
                TimeSpan.FromSeconds(120), "the demo history's reviews");
            var byName = AssistantClient.Reply(await assistant.SayAsync($"What do customers think of the {tent.GetProperty("name").GetString()}?"));
            Assert.Contains($"{average!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} out of 5", byName);
            Assert.Contains($"from {count} review", byName);
        }
        finally
        {
            await _catalog.ArchiveAsync(product);
        }
    }

    [Fact]
    public async Task Only_ordering_apis_service_token_sets_ratings_in_the_catalog()
    {
        var body = new { ratings = new[] { new { productId = 1, average = 1.0m, count = 1 } }, asOf = DateTimeOffset.UtcNow, replaceAll = false };
        using var customer = await _catalog.SendAsync(HttpMethod.Put, "/api/catalog/ratings", await _catalog.CustomerTokenAsync(), body);
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        using var admin = await _catalog.AsAdminAsync(HttpMethod.Put, "/api/catalog/ratings", body);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        using var anonymous = await _catalog.SendAsync(HttpMethod.Put, "/api/catalog/ratings", null, body);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
