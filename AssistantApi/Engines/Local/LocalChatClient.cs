using System.Runtime.CompilerServices;
using System.Text.Json;
using AssistantApi.Model;
using AssistantApi.Plugins;
using AssistantApi.Services;
using AssistantApi.Tools;
using Microsoft.Extensions.AI;

namespace AssistantApi.Engines.Local;

/// <summary>A step the local engine decided on: a tool call to make, or a reply to give straight away.</summary>
/// <param name="More">Further calls of the same tool in the same round (run in parallel), e.g. two products to compare.</param>
public sealed record Plan(
    string Intent, string? Tool = null, Dictionary<string, object?>? Arguments = null, string? Reply = null,
    IReadOnlyList<Dictionary<string, object?>>? More = null);

/// <summary>
/// The local language engine behind <see cref="IChatClient"/>, so the same tool loop runs it and a remote model.
/// It reads the last user message (intent from <see cref="IntentClassifier"/>, entities from <see cref="EntityExtractor"/>,
/// references from the conversation), answers with <see cref="FunctionCallContent"/> as a model would, and once the
/// tool results are in, writes the reply from them (<see cref="ReplyWriter"/>). It needs no key and no network
/// besides the shop's own services.
/// </summary>
public sealed partial class LocalChatClient(IntentClassifier classifier, CatalogIndex index) : IChatClient
{
    /// <summary>Below this probability (or with too few known words) the engine says it did not understand.</summary>
    public const double MinConfidence = 0.35;

    /// <summary>From this probability on, "out of scope" holds even when the message names a category or brand.</summary>
    public const double OutOfScopeConfidence = 0.5;

    private static readonly ChatClientMetadata Metadata = new("local", null, "local-intent-engine");

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var state = TurnState.From(options) ?? new TurnState(CallerKind.Anonymous, new Conversation { Id = "local" });
        // The tools offered, by their own names ("search_products"); the model-facing name may carry the plugin's prefix.
        var offered = (options?.Tools ?? []).ToDictionary(ShopKernel.NameOf, t => t.Name, StringComparer.Ordinal);
        var tools = offered.Keys.ToHashSet(StringComparer.Ordinal);
        var lastUser = list.FindLastIndex(m => m.Role == ChatRole.User);
        var userText = lastUser >= 0 ? list[lastUser].Text : "";
        var done = DoneThisTurn(list.Skip(lastUser + 1), offered);

        CatalogSnapshot catalog;
        try
        {
            catalog = await index.GetAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ToolException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            catalog = CatalogSnapshot.Empty;
        }
        var analysis = EntityExtractor.Analyze(userText, catalog);
        var writer = new ReplyWriter(HashCode.Combine(state.Conversation.Id, state.Conversation.Turns));
        var plan = done.Count == 0
            ? SpecQuestions.Plan(analysis, catalog, state.Conversation, tools, () => Understand(classifier, analysis, state)) ?? Decide(analysis, state, tools, writer)
            : Continue(analysis, state, tools, done, writer);

        ChatResponse response;
        if (plan.Tool is not null)
        {
            state.Conversation.LastIntent = plan.Intent;
            // Arguments as JSON, as a model sends them.
            var calls = new[] { plan.Arguments ?? [] }.Concat(plan.More ?? [])
                .Select(arguments => (AIContent)new FunctionCallContent($"call_{Guid.NewGuid():N}"[..21], offered[plan.Tool],
                    arguments.ToDictionary(a => a.Key, a => (object?)JsonSerializer.SerializeToElement(a.Value, ShopHttp.Json))))
                .ToList();
            response = new ChatResponse(new ChatMessage(ChatRole.Assistant, calls));
        }
        else
        {
            response = new ChatResponse(new ChatMessage(ChatRole.Assistant, plan.Reply ?? writer.Pick("Done.", "All set.")));
        }
        response.ModelId = "local";
        state.Suggestions = Suggestions(plan.Intent, state, tools);
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        var message = response.Messages[^1];
        if (message.Contents.OfType<FunctionCallContent>().Any())
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [.. message.Contents]) { ModelId = response.ModelId };
            yield break;
        }
        // The reply in chunks of a few words, as a model would stream it.
        var words = message.Text.Split(' ');
        for (var i = 0; i < words.Length; i += 4)
        {
            var chunk = string.Join(' ', words.Skip(i).Take(4)) + (i + 4 < words.Length ? " " : "");
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { ModelId = response.ModelId };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>The intent of a message: the classifier's, corrected by the conversation (a pending checkout, a bare option).</summary>
    public static string Understand(IntentClassifier classifier, Analysis analysis, TurnState state)
    {
        var conversation = state.Conversation;
        if (conversation.PendingOrder is not null)
        {
            if (Affirmation.IsYes(analysis.Text))
            {
                return "confirm";
            }
            if (Affirmation.IsNo(analysis.Text))
            {
                return "decline";
            }
        }
        var prediction = classifier.Predict(analysis.Delexicalized);
        var confident = prediction.Probability >= MinConfidence && prediction.KnownFeatureShare >= 0.34;
        var intent = confident ? prediction.Intent : "unknown";
        var folded = Text.Fold(analysis.Text);
        // Favourites (wishlist) words are decisive: "add the X to my favourites" is not the cart.
        if (FavouriteWords().IsMatch(folded))
        {
            return FavouriteRemoveWords().IsMatch(folded) ? "remove_favourite"
                : FavouriteAddWords().IsMatch(folded) ? "add_favourite"
                : "list_favourites";
        }
        var named = analysis.Product is not null || analysis.Category is not null || analysis.Brand is not null;
        var onlyOptions = analysis.HasOptions && !named && Text.Tokenize(analysis.Text).Count <= 6;

        // "Which of the first two is cheaper?", "compare the first and the third": products listed before, side by side.
        if (analysis.Picks is { Count: >= 2 } && analysis.Product is null && conversation.LastResults.Count >= 2 && CompareWords().IsMatch(folded))
        {
            return "compare";
        }
        // "Just the ones below 100", "now the cheapest first": the search just made, refined.
        var refines = (analysis.MaxPrice ?? analysis.MinPrice) is not null || analysis.Sort is not null;
        if (refines && !named && conversation.LastSearch is not null && conversation.LastIntent == "search"
            && intent is not ("forecast" or "reorder" or "policy" or "confirm" or "decline") && !CartWords().IsMatch(folded))
        {
            return "search";
        }
        // A price limit with a category or brand is a search, whatever else the sentence says ("I can spend 200 on tents").
        if ((analysis.MaxPrice ?? analysis.MinPrice) is not null && (analysis.Category ?? analysis.Brand) is not null && analysis.Product is null)
        {
            return "search";
        }
        // "And in red?" right after talking about a product: availability (or the add we were about to do), unless
        // we are refining a search.
        if (onlyOptions && conversation.Product is not null && intent is not ("add_to_cart" or "restock")
            && !(intent == "search" && conversation.LastIntent == "search"))
        {
            return conversation.LastIntent == "add_to_cart" ? "add_to_cart" : "check_availability";
        }
        // Forecast words are decisive: a customer asking for one must be refused, not shown the product.
        if (intent is "product_details" or "search" or "check_availability" or "unknown" && ForecastWords().IsMatch(folded))
        {
            return "forecast";
        }
        // Reorder planning words are decisive too ("show me the reorder list" is not the user's own orders).
        if (intent is not ("forecast" or "reorder") && ReorderWords().IsMatch(folded))
        {
            return "reorder";
        }
        // A policy word in what looks like a product question ("what's the warranty on your products?", "my jacket broke").
        if (analysis.PolicyTopic is not null
            && intent is not ("policy" or "order_status" or "cancel_order" or "list_orders" or "place_order" or "view_cart" or "confirm" or "decline" or "forecast" or "reorder")
            && (!named || StrongPolicyWords().IsMatch(folded)))
        {
            return "policy";
        }
        // A long bare number and nothing else to go on is an order number ("what's happening with 84712?").
        if (intent is not ("order_status" or "cancel_order" or "list_orders") && !named && analysis.MaxPrice is null && analysis.MinPrice is null
            && Text.Tokenize(analysis.Text).Count(t => t.Text.Length >= 4 && t.Text.All(char.IsDigit)) == 1)
        {
            return "order_status";
        }
        // Cancelling cannot be undone: only when the message says so, never on a guess.
        if (intent == "cancel_order" && !CancelWords().IsMatch(folded))
        {
            return analysis.OrderReference is null ? "list_orders" : "order_status";
        }
        // "Does it come in black?": a colour or size asked about a product is a stock question.
        if (intent == "product_details" && analysis.HasOptions)
        {
            return "check_availability";
        }
        // "Show order 1234" is about that one order, not the list.
        if (intent == "list_orders" && analysis.OrderReference is not null)
        {
            return "order_status";
        }
        // A spec's rating ("the temperature rating of the X") is a product question, not one about reviews.
        if (intent == "reviews" && SpecRatingWords().IsMatch(folded))
        {
            return analysis.Product is null && conversation.Product is null ? "search" : "product_details";
        }
        // "What do people say about the X?", "is it well reviewed?": its reviews.
        if (intent is "search" or "product_details" or "unknown" or "recommend" or "reviews" && (analysis.Product is not null || conversation.Product is not null)
            && ReviewWords().IsMatch(folded))
        {
            return "reviews";
        }
        // "Complementary products for the X?", "what goes with it?": recommendations.
        if (intent is "search" or "product_details" or "unknown" && (analysis.Product is not null || conversation.Product is not null)
            && RecommendWords().IsMatch(folded))
        {
            return "recommend";
        }
        // A product named in a search: that product.
        if (intent == "search" && analysis.Product is not null && analysis.Category is null && analysis.Brand is null)
        {
            return analysis.HasOptions ? "check_availability" : "product_details";
        }
        // "Hello, what tents have you got?": the greeting is politeness, the catalog words are the request; and when the
        // classifier is unsure, what the message names decides.
        // (A confident "out of scope" stays so: "who won the football?" is not a search for footballs.)
        if (intent is "greeting" or "help" or "thanks" or "unknown" or "out_of_scope" && named
            && !(intent == "out_of_scope" && prediction.Probability >= OutOfScopeConfidence && analysis.Product is null))
        {
            return analysis.Product is null ? "search" : analysis.HasOptions ? "check_availability" : "product_details";
        }
        return intent is "out_of_scope" ? "unknown" : intent;
    }

    private Plan Decide(Analysis analysis, TurnState state, HashSet<string> tools, ReplyWriter writer)
    {
        var conversation = state.Conversation;
        var intent = Understand(classifier, analysis, state);
        var product = ProductOf(analysis, conversation);

        switch (intent)
        {
            case "greeting":
                return new Plan(intent, Reply: writer.Pick("Hi! ", "Hello! ", "Hey there! ")
                    + writer.Pick("How can I help you today?", "What are you looking for today?", "What can I do for you?")
                    + " I can find products, check sizes and stock" + (tools.Contains("add_to_cart") ? ", fill your cart and track your orders." : ", and answer questions about shipping and returns."));
            case "thanks":
                return new Plan(intent, Reply: writer.Pick("You're welcome!", "Happy to help!", "Any time!") + " " + writer.Pick("Enjoy your gear.", "Anything else I can do?", "Just ask if you need anything else."));
            case "help":
                return new Plan(intent, Reply: HelpText(tools));
            case "unknown":
                return new Plan(intent, Reply: "Sorry, I didn't understand that. " + HelpText(tools));
            case "confirm" when conversation.PendingOrder is not null:
                return Call(intent, "place_order", tools, []);
            case "confirm":
                return new Plan(intent, Reply: "Sorry, I'm not sure what you're saying yes to. " + HelpText(tools));
            case "decline":
                var hadPending = conversation.PendingOrder is not null;
                conversation.PendingOrder = null;
                return new Plan(intent, Reply: hadPending ? "OK, I have not placed the order. Your cart is unchanged." : writer.Pick("OK.", "No problem.") + " Anything else?");
            case "compare":
            {
                var picked = analysis.Picks!.Select(i => i < 0 ? conversation.LastResults.Count + i : i)
                    .Where(i => i >= 0 && i < conversation.LastResults.Count).Distinct().Take(3)
                    .Select(i => new Dictionary<string, object?> { ["productId"] = conversation.LastResults[i].ProductId }).ToList();
                return picked.Count < 2
                    ? new Plan(intent, Reply: "Which of them do you mean? Say e.g. \"compare the first and the second\".")
                    : Call(intent, "get_product_details", tools, picked[0]) with { More = picked[1..] };
            }
            case "search":
                return SearchPlan(intent, analysis, conversation, tools, writer);
            case "product_details":
                return product is null ? SearchOrAsk(analysis, conversation, tools, writer) : Call(intent, "get_product_details", tools, new() { ["productId"] = product.ProductId });
            case "check_availability":
                return product is null ? SearchOrAsk(analysis, conversation, tools, writer)
                    : Call(intent, "check_availability", tools, Options(new() { ["productId"] = product.ProductId }, analysis, conversation, product));
            case "add_to_cart":
                if (!tools.Contains("add_to_cart"))
                {
                    return new Plan(intent, Reply: SignIn("add things to a cart"));
                }
                if (product is null)
                {
                    return SearchOrAsk(analysis, conversation, tools, writer, "Which product would you like to add?");
                }
                if (!analysis.HasOptions && conversation.VariantId is { } known && conversation.Product?.ProductId == product.ProductId)
                {
                    return Call(intent, "add_to_cart", tools, new() { ["variantId"] = known, ["quantity"] = analysis.Quantity ?? 1 });
                }
                // First find the variant for the options asked (the next round adds it). An answer to "which colour?"
                // keeps the size said before, and the other way round.
                return Call(intent, "check_availability", tools, Options(new() { ["productId"] = product.ProductId }, analysis, conversation, product, completing: true));
            case "add_favourite":
                if (!tools.Contains("add_favourite"))
                {
                    return new Plan(intent, Reply: FavouriteReplies.SignIn);
                }
                return product is null
                    ? SearchOrAsk(analysis, conversation, tools, writer, "Which product would you like to save to your favourites?")
                    : Call(intent, "add_favourite", tools, new() { ["productId"] = product.ProductId });
            case "remove_favourite":
                return new Plan(intent, Reply: tools.Contains("list_favourites")
                    ? "I can't take things off your favourites: tap the heart on the product again, or use Remove on your favourites page."
                    : FavouriteReplies.SignIn);
            case "list_favourites":
                return tools.Contains("list_favourites") ? Call(intent, "list_favourites", tools, []) : new Plan(intent, Reply: FavouriteReplies.SignIn);
            case "view_cart":
                return tools.Contains("view_cart") ? Call(intent, "view_cart", tools, []) : new Plan(intent, Reply: SignIn("see your cart"));
            case "place_order":
                return tools.Contains("place_order") ? Call(intent, "place_order", tools, []) : new Plan(intent, Reply: SignIn("check out"));
            case "order_status":
            case "cancel_order":
            {
                var tool = intent == "order_status" ? "get_order_status" : "cancel_order";
                if (!tools.Contains(tool))
                {
                    return new Plan(intent, Reply: SignIn(intent == "order_status" ? "look up your orders" : "cancel an order"));
                }
                var reference = analysis.OrderReference ?? LoneNumber(analysis) ?? (analysis.RefersBack || intent == "cancel_order" ? conversation.Orders.LastOrDefault() : null);
                if (reference is null)
                {
                    return intent == "order_status"
                        ? Call(intent, "list_my_orders", tools, new() { ["limit"] = 5 })
                        : new Plan(intent, Reply: "Which order should I cancel? Tell me its number, e.g. \"cancel order 1234\".");
                }
                return Call(intent, tool, tools, new() { ["orderId"] = reference });
            }
            case "list_orders":
                return tools.Contains("list_my_orders") ? Call(intent, "list_my_orders", tools, new() { ["limit"] = 5 }) : new Plan(intent, Reply: SignIn("see your orders"));
            case "restock":
                return product is null ? SearchOrAsk(analysis, conversation, tools, writer, "Which product do you mean?")
                    : Call(intent, "get_restock_estimate", tools, Options(new() { ["productId"] = product.ProductId }, analysis, conversation, product));
            case "policy":
                return analysis.PolicyTopic is null
                    ? new Plan(intent, Reply: "I can tell you about our shipping, returns, payment and warranty policies. Which one?")
                    : Call(intent, "get_store_policy", tools, new() { ["topic"] = analysis.PolicyTopic });
            case "recommend":
                return product is null
                    ? SearchPlan("search", analysis with { Sort = analysis.Sort ?? "best-selling" }, conversation, tools, writer)
                    : Call(intent, "recommend_products", tools, new() { ["productId"] = product.ProductId });
            case "reviews":
                return product is null ? SearchOrAsk(analysis, conversation, tools, writer, "Which product's reviews would you like?")
                    : Call(intent, "get_product_reviews", tools, new() { ["productId"] = product.ProductId });
            case "forecast":
                if (!tools.Contains("get_demand_forecast"))
                {
                    return new Plan(intent, Reply: "Sorry, I can't share sales forecasts: they are for the shop's staff only. I can tell you whether something is in stock or when it's expected back.");
                }
                return product is null ? new Plan(intent, Reply: "Which product should I forecast?")
                    : Call(intent, "get_demand_forecast", tools, new() { ["productId"] = product.ProductId, ["horizonDays"] = analysis.HorizonDays ?? 28 });
            case "reorder":
                return tools.Contains("get_reorder_suggestions")
                    ? Call(intent, "get_reorder_suggestions", tools, new() { ["limit"] = 10 })
                    : new Plan(intent, Reply: "Sorry, I can't help with that: reorder planning is for the shop's staff only.");
            default:
                return new Plan("unknown", Reply: "Sorry, I didn't understand that. " + HelpText(tools));
        }
    }

    /// <summary>After tool results: the next call of a two-step plan, or the reply.</summary>
    private Plan Continue(Analysis analysis, TurnState state, HashSet<string> tools, List<(string Tool, FunctionCallContent Call, FunctionResultContent? Result)> done, ReplyWriter writer)
    {
        var conversation = state.Conversation;
        var (lastTool, _, lastResult) = done[^1];
        var failed = lastResult is null || lastResult.Exception is not null || Read<ToolError>(lastResult) is { Error: not null };
        if (failed)
        {
            var error = lastResult is null ? null : Read<ToolError>(lastResult)?.Error;
            return new Plan(conversation.LastIntent ?? "error", Reply: "Sorry, that didn't work. " + (error ?? "The shop did not answer.")
                + (error?.Contains("sign in", StringComparison.OrdinalIgnoreCase) == true ? "" : " " + writer.Pick("Anything else I can try?", "Can I help with something else?")));
        }

        // add_to_cart, step two: the availability check found the variant.
        if (lastTool == "check_availability" && conversation.LastIntent == "add_to_cart" && Read<AvailabilityResult>(lastResult!) is { } availability)
        {
            var inStock = availability.Matching.Where(m => m.Available > 0).ToList();
            if (availability.Matching.Count == 1 || (inStock.Count == 1 && availability.Matching.Count == 1))
            {
                var variant = availability.Matching[0];
                if (variant.Available <= 0)
                {
                    return new Plan("add_to_cart", Reply: writer.Availability(availability));
                }
                return Call("add_to_cart", "add_to_cart", tools, new() { ["variantId"] = variant.VariantId, ["quantity"] = Math.Min(analysis.Quantity ?? 1, 99) });
            }
            if (availability.Matching.Count == 0)
            {
                return new Plan("add_to_cart", Reply: writer.Availability(availability));
            }
            // Several match: a word of the message may name one of their sizes ("Black 42") after all.
            var words = Text.Tokenize(analysis.Text).Select(t => t.Text).ToHashSet(StringComparer.Ordinal);
            var bySize = availability.Matching.Where(m => m.Options.GetValueOrDefault("Size") is { } size && words.Contains(Text.Fold(size))
                && Text.Fold(size) != (analysis.Quantity ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (bySize.Count == 1 && bySize[0].Available > 0)
            {
                return Call("add_to_cart", "add_to_cart", tools, new() { ["variantId"] = bySize[0].VariantId, ["quantity"] = Math.Min(analysis.Quantity ?? 1, 99) });
            }
            // Several variants match: ask for what is missing, and remember we are adding.
            conversation.LastIntent = "add_to_cart";
            var missing = new List<string>();
            var colours = availability.Matching.Select(m => m.Options.GetValueOrDefault("Colour")).OfType<string>().Distinct().ToList();
            var sizes = availability.Matching.Select(m => m.Options.GetValueOrDefault("Size")).OfType<string>().Distinct().ToList();
            if (colours.Count > 1)
            {
                missing.Add($"colour ({string.Join(", ", colours)})");
            }
            if (sizes.Count > 1)
            {
                missing.Add($"size ({string.Join(", ", sizes)})");
            }
            if (missing.Count == 0)
            {
                missing.Add("option (" + string.Join("; ", availability.Matching.Select(m => VariantMatcher.Describe(m.Options))) + ")");
            }
            return new Plan("add_to_cart_options", Reply: $"Which {string.Join(" and which ", missing)} would you like for the {availability.Name}?");
        }

        // The availability check that found the variant to add was a step, not news: the cart reply says it all.
        if (conversation.LastIntent == "compare")
        {
            return new Plan("compare", Reply: writer.Compare([.. done.Select(d => d.Result is null ? null : Read<ProductDetails>(d.Result)).OfType<ProductDetails>()]));
        }
        var steps = done.Any(d => d.Tool == "add_to_cart") ? done.Where(d => d.Tool != "check_availability") : done;
        var replies = steps.Where(d => d.Result is not null).Select(d => Compose(d.Tool, d.Result!, writer, analysis)).ToList();
        return new Plan(conversation.LastIntent ?? lastTool, Reply: string.Join("\n\n", replies));
    }

    private static string Compose(string tool, FunctionResultContent result, ReplyWriter writer, Analysis analysis) => tool switch
    {
        // A product named that the shop does not have: say so, with the closest real names, not a category listing.
        "search_products" when Read<SearchResult>(result) is { } r && analysis.UnknownName is { } name
            && (r.Total == 0 || r.IgnoredWords is not null || r.CorrectedQuery is not null) =>
            writer.NotFound(name, r.Closest is { Count: > 0 } ? r : r with { Closest = [.. r.Products.Take(3)] }),
        "search_products" => Read<SearchResult>(result) is { } r ? writer.Search(r, analysis.Unsupported) : "",
        "get_product_details" => Read<ProductDetails>(result) is { } r ? writer.Details(r) : "",
        "search_by_specs" => Read<SpecSearchResult>(result) is { } r ? SpecQuestions.SearchReply(r) : "",
        "compare_products" => Read<SpecComparison>(result) is { } r ? SpecQuestions.CompareReply(r) : "",
        "check_availability" => Read<AvailabilityResult>(result) is { } r ? writer.Availability(r) : "",
        "add_to_cart" or "view_cart" => Read<CartResult>(result) is { } r ? writer.Cart(r) : "",
        "place_order" => Read<PlaceOrderResult>(result) is { } r ? writer.PlaceOrder(r) : "",
        "get_order_status" => Read<OrderSummary>(result) is { } r ? writer.Order(r) : "",
        "cancel_order" => Read<OrderSummary>(result) is { } r ? writer.Order(r, cancelled: true) : "",
        "list_my_orders" => Read<OrderList>(result) is { } r ? writer.Orders(r) : "",
        "get_restock_estimate" => Read<RestockResult>(result) is { } r ? writer.Restock(r) : "",
        "get_store_policy" => Read<PolicyResult>(result) is { } r ? writer.Policy(r) : "",
        "recommend_products" => Read<RecommendationResult>(result) is { } r ? writer.Recommendations(r) : "",
        "get_product_reviews" => Read<ReviewsResult>(result) is { } r ? writer.Reviews(r) : "",
        "get_demand_forecast" => Read<ForecastResult>(result) is { } r ? writer.Forecast(r) : "",
        "get_reorder_suggestions" => Read<ReorderResult>(result) is { } r ? writer.Reorder(r) : "",
        "add_favourite" => Read<FavouriteAddResult>(result) is { } r ? FavouriteReplies.Added(r) : "",
        "list_favourites" => Read<FavouritesResult>(result) is { } r ? FavouriteReplies.List(r) : "",
        _ => "",
    };

    private static T? Read<T>(FunctionResultContent result) where T : class
    {
        try
        {
            return result.Result switch
            {
                JsonElement json => json.Deserialize<T>(ShopHttp.Json),
                T typed => typed,
                null => null,
                var other => JsonSerializer.SerializeToElement(other, ShopHttp.Json).Deserialize<T>(ShopHttp.Json),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The tool calls made since the user's message, by the tools' own names, with their results.</summary>
    private static List<(string Tool, FunctionCallContent Call, FunctionResultContent? Result)> DoneThisTurn(
        IEnumerable<ChatMessage> messages, Dictionary<string, string> offered)
    {
        var contents = messages.SelectMany(m => m.Contents).ToList();
        var results = contents.OfType<FunctionResultContent>().ToDictionary(r => r.CallId, StringComparer.Ordinal);
        var names = offered.ToDictionary(o => o.Value, o => o.Key, StringComparer.Ordinal);
        return [.. contents.OfType<FunctionCallContent>().Select(c => (names.GetValueOrDefault(c.Name) ?? c.Name, c, results.GetValueOrDefault(c.CallId)))];
    }

    private static Plan Call(string intent, string tool, HashSet<string> tools, Dictionary<string, object?> arguments) =>
        tools.Contains(tool)
            ? new Plan(intent, tool, arguments)
            : new Plan(intent, Reply: ShopKernel.CustomerTools.Contains(tool) ? SignIn("do that") : "Sorry, I can't help with that.");

    private static Plan SearchPlan(string intent, Analysis analysis, Conversation conversation, HashSet<string> tools, ReplyWriter writer)
    {
        var arguments = new Dictionary<string, object?>();
        // A product name the catalog does not know is searched for as it is (the reply then says it is not there).
        if ((analysis.UnknownName ?? analysis.SearchText) is { } words)
        {
            arguments["query"] = words;
        }
        if (analysis.Category is not null)
        {
            arguments["category"] = analysis.Category.Name;
        }
        if (analysis.Brand is not null)
        {
            arguments["brand"] = analysis.Brand.Name;
        }
        // "Show me the cheapest" after a search: the same search, refined.
        if (arguments.Count == 0 && analysis.Product is null && conversation.LastSearch is { } last
            && (analysis.Sort is not null || analysis.MaxPrice is not null || analysis.MinPrice is not null || analysis.HasOptions))
        {
            if (last.Query is not null)
            {
                arguments["query"] = last.Query;
            }
            if (last.Category is not null)
            {
                arguments["category"] = last.Category;
            }
            if (last.Brand is not null)
            {
                arguments["brand"] = last.Brand;
            }
            // The earlier filters hold unless this message changes them.
            foreach (var (key, value) in new (string, object?)[] { ("minPrice", last.MinPrice), ("maxPrice", last.MaxPrice), ("color", last.Color), ("size", last.Size), ("sort", last.Sort) })
            {
                if (value is not null)
                {
                    arguments[key] = value;
                }
            }
        }
        if (arguments.Count == 0)
        {
            if (analysis.Product is not null)
            {
                return Call("product_details", "get_product_details", tools, new() { ["productId"] = analysis.Product.Id });
            }
            if (analysis.Candidates.Count > 0)
            {
                arguments["query"] = string.Join(' ', analysis.Candidates[0].Words.Take(3));
            }
            else if (!analysis.HasOptions && analysis.MaxPrice is null && analysis.MinPrice is null && analysis.Sort is null)
            {
                return new Plan(intent, Reply: writer.Pick("What are you looking for?", "Sure, what kind of product?") + " You can name a category, a brand or a price limit, e.g. \"tents under 200\".");
            }
        }
        if (analysis.MinPrice is not null)
        {
            arguments["minPrice"] = analysis.MinPrice;
        }
        if (analysis.MaxPrice is not null)
        {
            arguments["maxPrice"] = analysis.MaxPrice;
        }
        if (analysis.Color is not null)
        {
            arguments["color"] = analysis.Color;
        }
        if (analysis.Size is not null)
        {
            arguments["size"] = analysis.Size;
        }
        if (analysis.Sort is not null)
        {
            arguments["sort"] = analysis.Sort;
        }
        return Call(intent, "search_products", tools, arguments);
    }

    /// <summary>No product to talk about: search for what was named, or ask.</summary>
    private static Plan SearchOrAsk(Analysis analysis, Conversation conversation, HashSet<string> tools, ReplyWriter writer, string? question = null)
    {
        if (analysis.UnknownName is not null)
        {
            return SearchPlan("search", analysis, conversation, tools, writer);
        }
        if (analysis.Candidates.Count > 0)
        {
            return new Plan("clarify", Reply: "Which one do you mean: " + string.Join(", ", analysis.Candidates.Select(c => c.Name)) + "?");
        }
        if (analysis.Category is not null || analysis.Brand is not null || analysis.SearchText is not null)
        {
            return SearchPlan("search", analysis, conversation, tools, writer);
        }
        return new Plan("clarify", Reply: question ?? "Which product do you mean? Tell me its name, or search for it first.");
    }

    /// <summary>The product the message is about: named in it, picked from the last results, or the one under discussion.</summary>
    private static ProductRef? ProductOf(Analysis analysis, Conversation conversation)
    {
        if (analysis.Product is { } named)
        {
            return new ProductRef(named.Id, named.Name);
        }
        if (analysis.Ordinal is { } ordinal && conversation.LastResults.Count > 0)
        {
            var index = ordinal < 0 ? conversation.LastResults.Count - 1 : ordinal;
            if (index < conversation.LastResults.Count)
            {
                return conversation.LastResults[index];
            }
        }
        if (analysis.Candidates.Count > 0 || (analysis.Category is not null && !analysis.RefersBack))
        {
            return null;
        }
        return conversation.Product;
    }

    /// <summary>Colour and size for a product call: from this message, else the ones already mentioned for the same product.</summary>
    /// <summary>
    /// The colour and size to look for: those the message names, else the ones said before about the same product. A
    /// stock question naming one option drops the other ("and in red?" means red in any size); with
    /// <paramref name="completing"/> (choosing the variant to add) it is kept.
    /// </summary>
    private static Dictionary<string, object?> Options(
        Dictionary<string, object?> arguments, Analysis analysis, Conversation conversation, ProductRef product, bool completing = false)
    {
        var sameProduct = conversation.Product?.ProductId == product.ProductId;
        var color = analysis.Color ?? (sameProduct && (completing || analysis.Size is null) ? conversation.Color : null);
        var size = analysis.Size ?? (sameProduct && (completing || analysis.Color is null) ? conversation.Size : null);
        if (color is not null)
        {
            arguments["color"] = color;
        }
        if (size is not null)
        {
            arguments["size"] = size;
        }
        return arguments;
    }

    private static string? LoneNumber(Analysis analysis)
    {
        var numbers = Text.Tokenize(analysis.Text).Where(t => t.Text.All(char.IsDigit) && t.Text.Length >= 1).Select(t => t.Text).ToList();
        return analysis.Product is null && numbers.Count == 1 ? numbers[0] : null;
    }

    private static string SignIn(string what) => $"Please sign in to {what}. Until then I can help you find products, check stock and answer questions about shipping and returns.";

    private static string HelpText(HashSet<string> tools)
    {
        var things = new List<string> { "find products (\"waterproof jackets under 150\")", "tell you about a product and its sizes", "check stock in a colour or size" };
        if (tools.Contains("add_to_cart"))
        {
            things.Add("add things to your cart and check out");
            things.Add("track or cancel your orders");
            things.Add("keep your favourites");
        }
        things.Add("say when sold-out items come back");
        things.Add("explain shipping, returns, payment and warranty");
        if (tools.Contains("get_demand_forecast"))
        {
            things.Add("show demand forecasts and reorder suggestions");
        }
        return "I can " + string.Join(", ", things.Take(things.Count - 1)) + " and " + things[^1] + ".";
    }

    private static IReadOnlyList<string> Suggestions(string intent, TurnState state, HashSet<string> tools)
    {
        var product = state.Conversation.Product;
        var signedIn = tools.Contains("add_to_cart");
        return intent switch
        {
            "product_details" or "check_availability" when product is not null =>
                signedIn ? ["Is it in stock in my size?", "Add it to my cart", "What goes well with it?"] : ["Is it in stock?", "What goes well with it?", "What is your return policy?"],
            "add_to_cart" => ["Show my cart", "Check out"],
            "add_favourite" => ["Show my favourites", "Add it to my cart"],
            "view_cart" => ["Check out", "What is your return policy?"],
            "search" when state.Conversation.LastResults is { Count: > 0 } => ["Tell me about the first one", "Show the cheapest first"],
            "list_orders" or "order_status" => ["Show my orders", "What is your return policy?"],
            _ => signedIn ? ["Show me tents", "Show my cart", "Where is my order?"] : ["Show me tents", "How much is shipping?", "What is your return policy?"],
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(forecast\w*|predict\w*|projection\w*|projected|demand|how many (?:\w+ )*will (?:we|you) sell|expected sales)\b")]
    private static partial System.Text.RegularExpressions.Regex ForecastWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(cheaper|cheapest|pricier|priciest|more expensive|most expensive|less expensive|compare\w*|difference|differ|better|best|lighter|warmer|bigger|smaller|vs|versus|or the)\b")]
    private static partial System.Text.RegularExpressions.Regex CompareWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(add|cart|basket|bag|trolley|buy|order)\b")]
    private static partial System.Text.RegularExpressions.Regex CartWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(wish ?list\w*|wishlist\w*|(?:my|to|in|into|on|from|the|your) (?:favou?rites|faves)|favou?rites? (?:list|page)|saved (?:items|products))\b")]
    private static partial System.Text.RegularExpressions.Regex FavouriteWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(remove|delete|drop|take (?:\w+ )*(?:off|out)|unfavou?rite|get rid)\b")]
    private static partial System.Text.RegularExpressions.Regex FavouriteRemoveWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(add|save|put|keep|mark|stick|pop|bookmark|remember)\b")]
    private static partial System.Text.RegularExpressions.Regex FavouriteAddWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(reorder\w*|re-order\w*|replenish\w*)\b")]
    private static partial System.Text.RegularExpressions.Regex ReorderWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(cancel\w*|call off|abort|revoke|stop (?:my |the )?order|(?:don't|dont|do not) want (?:it|this|that|order|my order|the order)|changed my mind)")]
    private static partial System.Text.RegularExpressions.Regex CancelWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(warranty|guarantee\w*|refund\w*|broke|broken|faulty|defect\w*|damaged|stopped working|return policy|returns policy|shipping cost\w*|delivery cost\w*|postage)\b")]
    private static partial System.Text.RegularExpressions.Regex StrongPolicyWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(complement\w*|goes? (?:well )?with|go (?:well |nicely )?with|pairs? (?:well )?with|accessor\w*|bought together|also bought|buy with|match(?:es|ing)? (?:it|with))\b")]
    private static partial System.Text.RegularExpressions.Regex RecommendWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(reviews?|reviewed|(?<!(?:waterproof|water|hydrostatic|temperature|comfort|season|fill|power|uv|sun)\s)(?:ratings?|rated)|stars|opinions?|feedback|(?:people|customers?|buyers?|users?|owners?|others?|reviewers?) (?:say\w*|think\w*))\b")]
    private static partial System.Text.RegularExpressions.Regex ReviewWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:waterproof|water|hydrostatic|temperature|comfort|season|fill|power|uv|sun)\s(?:ratings?|rated)\b")]
    private static partial System.Text.RegularExpressions.Regex SpecRatingWords();
}
