using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AssistantApi.Evaluation;

/// <summary>
/// <c>dotnet run -c Release --project AssistantApi -- eval [--url http://127.0.0.1:5104] [--ordering-url ...] [--catalog-url ...]
/// [--data-dir .data] [--questions ../shared/assistant/dev-questions.jsonl] [--rounds 1] [--seed 1] [--latencies FILE]</c>:
/// replays the development dialogues against a running app and prints the pass rate per intent and overall, and
/// each failure. Placeholders are filled from the live system: a catalog product with colours and sizes, a new
/// customer who places an order, a second customer's order, and the admin from DATA_DIR/admin-credentials.json.
/// </summary>
public static partial class EvalCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ParseArgs(args);
        var questionsPath = options.GetValueOrDefault("questions") ?? FindUp(Path.Combine("..", "shared", "assistant", "dev-questions.jsonl"))
            ?? throw new FileNotFoundException("dev-questions.jsonl not found; pass --questions PATH.");
        var dataDir = options.GetValueOrDefault("data-dir") ?? FindUp(".data") ?? ".data";
        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "1", CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(options.GetValueOrDefault("seed") ?? "1", CultureInfo.InvariantCulture));
        var session = new Session(
            new Uri(options.GetValueOrDefault("url") ?? "http://127.0.0.1:5104"),
            new Uri(options.GetValueOrDefault("ordering-url") ?? "http://127.0.0.1:5102"),
            new Uri(options.GetValueOrDefault("catalog-url") ?? "http://127.0.0.1:5101"));

        var dialogues = File.ReadAllLines(questionsPath).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var results = new List<(string Intent, string Id, bool Passed, bool Skipped, string Detail)>();
        var latencies = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var round = 1; round <= rounds; round++)
        {
            var values = await session.PrepareAsync(dataDir, random);
            Console.WriteLine($"Round {round}: product \"{values["product"]}\" ({values["productId"]}), {values["color"]}/{values["size"]} = variant {values["variantId"]}, " +
                $"category \"{values["category"]}\", brand \"{values["brand"]}\", order {values.GetValueOrDefault("orderId") ?? "-"}");
            foreach (var dialogue in dialogues)
            {
                results.Add(await RunDialogueAsync(session, dialogue, values, latencies));
            }
        }

        Console.WriteLine();
        foreach (var failure in results.Where(r => !r.Passed && !r.Skipped))
        {
            Console.WriteLine($"FAIL {failure.Id} [{failure.Intent}] {failure.Detail}");
        }
        foreach (var skipped in results.Where(r => r.Skipped).DistinctBy(r => r.Id))
        {
            Console.WriteLine($"SKIP {skipped.Id} [{skipped.Intent}] {skipped.Detail}");
        }
        Console.WriteLine();
        foreach (var group in results.Where(r => !r.Skipped).GroupBy(r => r.Intent).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var times = latencies.GetValueOrDefault(group.Key, []).Order().ToList();
            Console.WriteLine($"{group.Key,-26} {group.Count(r => r.Passed),3}/{group.Count(),-3} {100.0 * group.Count(r => r.Passed) / group.Count(),6:0.0}%   p95 {Percentile(times, 0.95),4:0} ms");
        }
        var counted = results.Where(r => !r.Skipped).ToList();
        var passed = counted.Count(r => r.Passed);
        var all = latencies.Values.SelectMany(l => l).Order().ToList();
        if (options.GetValueOrDefault("latencies") is { } latencyFile)
        {
            // Every turn's latency in ms, one a line (appended), to pool several runs.
            await File.AppendAllLinesAsync(latencyFile, all.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture)));
        }
        Console.WriteLine($"overall                    {passed,3}/{counted.Count,-3} {(counted.Count == 0 ? 0 : 100.0 * passed / counted.Count),6:0.0}%"
            + $"   skipped {results.Count(r => r.Skipped)}   turn latency p50 {Percentile(all, 0.5):0} ms, p95 {Percentile(all, 0.95):0} ms");
        return counted.Count > 0 && passed * 100 >= counted.Count * 95 ? 0 : 1;
    }

    private static async Task<(string Intent, string Id, bool Passed, bool Skipped, string Detail)> RunDialogueAsync(
        Session session, JsonObject dialogue, Dictionary<string, string> values, Dictionary<string, List<double>> latencies)
    {
        var id = dialogue["id"]!.GetValue<string>();
        var expect = dialogue["expect"]!.AsObject();
        var tool = expect["tool"]?.GetValue<string>();
        var intent = tool ?? (expect["refuses"]?.GetValue<bool>() == true ? "(refuses)" : expect["asks_to_sign_in"]?.GetValue<bool>() == true ? "(asks to sign in)" : "(no tool)");
        var turns = dialogue["turns"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        var missing = turns.Concat([expect.ToJsonString()]).SelectMany(t => Placeholder().Matches(t)).Select(m => m.Groups[1].Value)
            .Where(name => !values.ContainsKey(name)).Distinct().ToList();
        if (missing.Count > 0)
        {
            return (intent, id, false, true, "no value for " + string.Join(", ", missing) + " (ordering endpoints missing?)");
        }
        var token = dialogue["as"]?.GetValue<string>() switch
        {
            "customer" => session.CustomerToken,
            "admin" => session.AdminToken,
            _ => null,
        };

        string? conversationId = null;
        JsonObject? previous = null;
        JsonObject? answer = null;
        foreach (var turn in turns.Select(t => Fill(t, values)))
        {
            var watch = Stopwatch.StartNew();
            var (status, body) = await session.ChatAsync(token, conversationId, turn);
            (latencies.TryGetValue(intent, out var list) ? list : latencies[intent] = []).Add(watch.Elapsed.TotalMilliseconds);
            if (status != HttpStatusCode.OK || body is null)
            {
                return (intent, id, false, false, $"turn \"{turn}\" answered {(int)status}: {body?.ToJsonString()}");
            }
            (previous, answer) = (answer, body);
            conversationId = body["conversationId"]!.GetValue<string>();
        }
        var problems = Judge(dialogue, previous, answer!, values);
        var reply = answer!["reply"]!.GetValue<string>();
        var calls = answer["toolCalls"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var detail = $"said \"{turns[^1]}\" -> tools [{string.Join(", ", calls.Select(c => c["name"] + c["arguments"]!.ToJsonString() + (c["succeeded"]!.GetValue<bool>() ? "" : "!failed")))}], "
            + $"cards [{string.Join(", ", Cards(answer).Select(c => $"{c.Id} {c.Price}"))}], reply: {reply.ReplaceLineEndings(" ")}";
        return (intent, id, problems.Count == 0, false, problems.Count == 0 ? detail : $"{string.Join("; ", problems)} -- {detail}");
    }

    /// <summary>The expectation keys this evaluation knows (../shared/assistant/README.md); any other fails the dialogue.</summary>
    public static readonly IReadOnlySet<string> KnownKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "tool", "args", "refuses", "asks_to_sign_in", "tool_fails", "reply_not_contains",
        "cards_max_price", "cards_min_price", "cards_sorted", "prev_card_arg", "reply_names_prev_cards", "reply_matches", "reply_not_matches",
    };

    private static readonly IReadOnlySet<string> DialogueKeys = new HashSet<string>(StringComparer.Ordinal) { "id", "as", "turns", "expect" };

    /// <summary>
    /// What is wrong with the last answer of a dialogue (empty: it passed), judged on every expectation key; a key this
    /// evaluation does not know is a failure, never skipped. <paramref name="previous"/> is the answer before it, if any.
    /// </summary>
    public static List<string> Judge(JsonObject dialogue, JsonObject? previous, JsonObject answer, IReadOnlyDictionary<string, string> values)
    {
        var problems = new List<string>();
        problems.AddRange(dialogue.Select(p => p.Key).Where(k => !DialogueKeys.Contains(k)).Select(k => $"unknown dialogue key \"{k}\""));
        var expect = dialogue["expect"]?.AsObject() ?? [];
        problems.AddRange(expect.Select(p => p.Key).Where(k => !KnownKeys.Contains(k)).Select(k => $"unknown expectation key \"{k}\""));

        var reply = answer["reply"]?.GetValue<string>() ?? "";
        var calls = answer["toolCalls"]?.AsArray().Select(c => c!.AsObject()).ToList() ?? [];
        var cards = Cards(answer);
        var previousCards = previous is null ? [] : Cards(previous);
        var tool = expect["tool"]?.GetValue<string>();

        // The call the last turn must make (any call when no tool is named), with the arguments asked for.
        var candidates = calls.Where(c => tool is null || c["name"]!.GetValue<string>() == tool).ToList();
        if (expect.TryGetPropertyValue("args", out var args) && args is JsonObject expectedArgs)
        {
            candidates = [.. candidates.Where(c => expectedArgs.All(a => ArgumentMatches(c["arguments"]!.AsObject(), a.Key, Fill(a.Value!.ToString(), values))))];
        }
        if (expect.TryGetPropertyValue("prev_card_arg", out var cardArg) && cardArg is JsonObject cardArgs)
        {
            foreach (var (name, index) in cardArgs)
            {
                var i = index!.GetValue<int>();
                if (i >= previousCards.Count)
                {
                    problems.Add($"prev_card_arg: the previous answer had no card {i}");
                    candidates = [];
                    continue;
                }
                candidates = [.. candidates.Where(c => ArgumentMatches(c["arguments"]!.AsObject(), name, previousCards[i].Id.ToString(CultureInfo.InvariantCulture)))];
            }
        }
        if (expect.ContainsKey("tool"))
        {
            if (tool is null && calls.Count > 0)
            {
                problems.Add("tool: expected no tool call");
            }
            else if (tool is not null && candidates.Count == 0)
            {
                problems.Add($"tool: no {tool} call with the expected arguments");
            }
        }
        else if ((expect.ContainsKey("args") || expect.ContainsKey("prev_card_arg")) && candidates.Count == 0)
        {
            problems.Add("args: no call with the expected arguments");
        }
        if (Flag(expect, "tool_fails") && !candidates.Any(c => !c["succeeded"]!.GetValue<bool>()))
        {
            problems.Add("tool_fails: the call did not fail");
        }
        if (Flag(expect, "refuses") && !Refusal().IsMatch(reply))
        {
            problems.Add("refuses: the reply does not refuse");
        }
        if (Flag(expect, "asks_to_sign_in") && !SignIn().IsMatch(reply))
        {
            problems.Add("asks_to_sign_in: the reply does not ask to sign in");
        }
        if (expect["reply_not_contains"]?.GetValue<string>() is { } forbidden)
        {
            var text = Fill(forbidden, values);
            if (reply.Contains(text, StringComparison.OrdinalIgnoreCase)
                || (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
                    && reply.Contains(amount.ToString("0.00", CultureInfo.InvariantCulture), StringComparison.Ordinal)))
            {
                problems.Add($"reply_not_contains: the reply contains {text}");
            }
        }
        if (Amount(expect, "cards_max_price", values) is { } max && (cards.Count == 0 || cards.Any(c => c.Price > max)))
        {
            problems.Add($"cards_max_price: {(cards.Count == 0 ? "no cards" : "a card costs more than " + max)}");
        }
        if (Amount(expect, "cards_min_price", values) is { } min && (cards.Count == 0 || cards.Any(c => c.Price < min)))
        {
            problems.Add($"cards_min_price: {(cards.Count == 0 ? "no cards" : "a card costs less than " + min)}");
        }
        if (expect["cards_sorted"]?.GetValue<string>() is { } order)
        {
            var prices = cards.Select(c => c.Price).ToList();
            var sorted = order == "desc" ? prices.OrderDescending().ToList() : prices.Order().ToList();
            if (order is not ("asc" or "desc"))
            {
                problems.Add($"cards_sorted: unknown order \"{order}\"");
            }
            else if (prices.Count < 2 || !prices.SequenceEqual(sorted))
            {
                problems.Add($"cards_sorted: the cards are not in {order} price order (or fewer than two)");
            }
        }
        if (expect["reply_names_prev_cards"] is JsonArray named)
        {
            foreach (var i in named.Select(n => n!.GetValue<int>()))
            {
                if (i >= previousCards.Count || !reply.Contains(previousCards[i].Name, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"reply_names_prev_cards: card {i} of the previous answer is not named");
                }
            }
        }
        if (expect["reply_matches"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(reply, Fill(pattern, values), RegexOptions.IgnoreCase))
        {
            problems.Add("reply_matches: the reply does not match");
        }
        if (expect["reply_not_matches"]?.GetValue<string>() is { } antiPattern && Regex.IsMatch(reply, Fill(antiPattern, values), RegexOptions.IgnoreCase))
        {
            problems.Add("reply_not_matches: the reply matches");
        }
        return problems;
    }

    private static bool Flag(JsonObject expect, string key) => expect[key]?.GetValue<bool>() == true;

    private static decimal? Amount(JsonObject expect, string key, IReadOnlyDictionary<string, string> values) =>
        expect[key] is not { } node ? null
        : decimal.TryParse(Fill(node.ToString(), values), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount
        : throw new FormatException($"{key} is not a price: {node}");

    private sealed record Card(int Id, string Name, decimal Price);

    private static List<Card> Cards(JsonObject answer) =>
        [.. (answer["products"] as JsonArray ?? []).Select(p => p!.AsObject())
            .Select(p => new Card(p["productId"]!.GetValue<int>(), p["name"]!.GetValue<string>(), p["price"]!.GetValue<decimal>()))];

    /// <summary>"a|b": either argument may carry it; numbers (and ids) match exactly, text as a case-insensitive substring.</summary>
    public static bool ArgumentMatches(JsonObject arguments, string key, string expected)
    {
        foreach (var name in key.Split('|'))
        {
            if (arguments[name] is not { } actual)
            {
                continue;
            }
            var text = actual.GetValueKind() == JsonValueKind.String ? actual.GetValue<string>() : actual.ToJsonString();
            if (decimal.TryParse(expected, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            {
                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var actualNumber) && actualNumber == number)
                {
                    return true;
                }
            }
            else if (text.Contains(expected, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.GetValueOrDefault(m.Groups[1].Value) ?? m.Value);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public static Dictionary<string, string> ParseArgs(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            result[args[i].TrimStart('-')] = args[i + 1];
        }
        return result;
    }

    public static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"sorry|can't|cannot|can not|unable|not able|only for|staff only|not allowed|not available to", RegexOptions.IgnoreCase)]
    private static partial Regex Refusal();

    [GeneratedRegex(@"sign in|log in|sign-in|signed in", RegexOptions.IgnoreCase)]
    private static partial Regex SignIn();

    /// <summary>The running app as the evaluation sees it: three accounts and the services' addresses.</summary>
    private sealed class Session(Uri assistant, Uri ordering, Uri catalog)
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
        // Our own client address for the sign-in rate limits (documentation range, never a real one).
        private string _address = "";

        public string? CustomerToken { get; private set; }
        public string? AdminToken { get; private set; }

        public async Task<Dictionary<string, string>> PrepareAsync(string dataDir, Random random)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            _address = $"2001:db8::e:{Random.Shared.Next(0x1000, 0xffff):x}";
            var page = await GetAsync(catalog, "/api/catalog/products?pageSize=100&inStock=true&sort=name", null);
            var items = page!["items"]!.AsArray().Select(i => i!.AsObject()).OrderBy(_ => random.Next()).ToList();
            foreach (var item in items)
            {
                var detail = await GetAsync(catalog, $"/api/catalog/products/{item["id"]}", null);
                // Plenty of stock: the dialogues themselves put some of it in carts.
                var variant = detail!["variants"]!.AsArray().Select(v => v!.AsObject()).FirstOrDefault(v =>
                    v["available"]!.GetValue<int>() >= 20 && v["options"]!.AsObject() is var o && o["Colour"] is not null && o["Size"] is not null);
                if (variant is null)
                {
                    continue;
                }
                values["product"] = detail["name"]!.GetValue<string>();
                values["productId"] = detail["id"]!.ToJsonString();
                values["brand"] = detail["brand"]!.GetValue<string>();
                values["category"] = detail["category"]!.GetValue<string>();
                values["color"] = variant["options"]!["Colour"]!.GetValue<string>();
                values["size"] = variant["options"]!["Size"]!.GetValue<string>();
                values["variantId"] = variant["id"]!.ToJsonString();
                var price = variant["price"]!.GetValue<decimal>();
                values["maxPrice"] = (Math.Ceiling(price / 50m) * 50m + 50m).ToString("0", CultureInfo.InvariantCulture);
                break;
            }
            if (!values.ContainsKey("product"))
            {
                throw new InvalidOperationException("No in-stock product with colours and sizes in the catalog.");
            }

            CustomerToken = await NewCustomerAsync();
            var otherToken = await NewCustomerAsync();
            var admin = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "admin-credentials.json")))!;
            AdminToken = await LoginAsync(admin["email"]!.GetValue<string>(), admin["password"]!.GetValue<string>());

            // Orders: one for the customer, one for somebody else (skipped when ordering's cart/orders are not there).
            var cheap = await GetAsync(catalog, "/api/catalog/products?pageSize=20&inStock=true&sort=price-asc", null);
            var cheapVariant = 0;
            foreach (var item in cheap!["items"]!.AsArray())
            {
                var cheapProduct = await GetAsync(catalog, $"/api/catalog/products/{item!["id"]}", null);
                if (cheapProduct!["variants"]!.AsArray().FirstOrDefault(v => v!["available"]!.GetValue<int>() > 2) is { } v)
                {
                    cheapVariant = v["id"]!.GetValue<int>();
                    break;
                }
            }
            if (await PlaceOrderAsync(CustomerToken, cheapVariant) is { } mine)
            {
                values["orderId"] = mine["id"]!.ToJsonString();
            }
            if (await PlaceOrderAsync(otherToken, cheapVariant) is { } theirs)
            {
                values["otherUsersOrderId"] = theirs["id"]!.ToJsonString();
                values["otherUsersOrderTotal"] = theirs["total"]!.GetValue<decimal>().ToString("0.00", CultureInfo.InvariantCulture);
            }
            return values;
        }

        public async Task<(HttpStatusCode, JsonObject?)> ChatAsync(string? token, string? conversationId, string message)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(assistant, "/api/assistant/chat"))
            {
                Content = JsonContent.Create(new { conversationId, message }),
            };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
        }

        private async Task<string> NewCustomerAsync()
        {
            var email = $"eval-{Guid.NewGuid():N}@example.test";
            // A fresh password per customer: the eval may run against a real app, so no account has a known password.
            var password = $"Eval-{Guid.NewGuid():N}-A1";
            using var register = await SendAsync(HttpMethod.Post, ordering, "/api/identity/register", null, new { email, password, name = "Eval Shopper" });
            register.EnsureSuccessStatusCode();
            var token = await LoginAsync(email, password);
            using var profile = await SendAsync(HttpMethod.Put, ordering, "/api/identity/profile", token, new
            {
                name = "Eval Shopper",
                defaultShippingAddress = new { fullName = "Eval Shopper", line1 = "Teststraße 1", city = "Berlin", postalCode = "10115", country = "DE" },
            });
            return token;
        }

        private async Task<string> LoginAsync(string email, string password)
        {
            using var login = await SendAsync(HttpMethod.Post, ordering, "/api/identity/login", null, new { email, password });
            login.EnsureSuccessStatusCode();
            return (await login.Content.ReadFromJsonAsync<JsonObject>(Json))!["accessToken"]!.GetValue<string>();
        }

        private async Task<JsonObject?> PlaceOrderAsync(string token, int variantId)
        {
            using var add = await SendAsync(HttpMethod.Post, ordering, "/api/cart/items", token, new { variantId, quantity = 1 });
            if (!add.IsSuccessStatusCode)
            {
                return null;
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ordering, "/api/orders"))
            {
                Content = JsonContent.Create(new
                {
                    shippingAddress = new { fullName = "Eval Shopper", line1 = "Teststraße 1", city = "Berlin", postalCode = "10115", country = "DE" },
                    paymentMethod = "card",
                    cardNumber = "4242424242424242",
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            request.Headers.Add("X-Forwarded-For", _address);
            using var response = await _http.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(Json) : null;
        }

        private async Task<JsonObject?> GetAsync(Uri service, string path, string? token)
        {
            using var response = await SendAsync(HttpMethod.Get, service, path, token, null);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonObject>(Json);
        }

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri service, string path, string? token, object? body)
        {
            using var request = new HttpRequestMessage(method, new Uri(service, path));
            request.Headers.Add("X-Forwarded-For", _address);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }
            return await _http.SendAsync(request);
        }
    }
}
