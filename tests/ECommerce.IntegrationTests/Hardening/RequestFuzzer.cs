using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ECommerce.IntegrationTests.Hardening;

/// <summary>One malformed request: where it goes, what it carries, and which case of the fuzzer made it.</summary>
public sealed record FuzzRequest(string Service, string OperationId, string Method, string Url, string? ContentType, byte[]? Body, string Case)
{
    /// <summary>The request as a line to paste into a bug report (a long body is cut).</summary>
    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300)) + (Body.Length > 300 ? $"... ({Body.Length} bytes)" : "");
        return $"[{Case}] {Method.ToUpperInvariant()} {Service}{Url}" + (ContentType is null ? "" : $" ({ContentType})") + (body.Length > 0 ? $" {body}" : "");
    }
}

/// <summary>
/// Malformed requests for every operation of an OpenAPI document, from a seed: bad route values (extremes, text,
/// path traversal, NUL, broken UTF-8), bad query values and unknown parameters, and bodies that start from a valid
/// shape of the operation's schema and break one thing (a wrong type, null, NUL and control characters, a lone
/// surrogate, a 1 MB string, integer extremes, nulls in arrays, a missing or extra field) or are no JSON at all, in
/// wrong content types and charsets. The same seed gives the same requests.
/// </summary>
public sealed class RequestFuzzer(JsonElement document, string service, int seed)
{
    private const string LoneSurrogateMarker = "\u2063LONE-SURROGATE\u2063";
    private static readonly string Megabyte = new('x', 1 << 20);

    private static readonly string[] RouteValues =
    [
        "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e9", "0x10", "abc", "%00", "a%00b",
        "..%2F..%2F..%2Fetc%2Fpasswd", "..", "%2e%2e%2f", "%ED%A0%80", "%FF%FE", "%F0%9F%98%80", "%20", "null",
        "00000000-0000-0000-0000-000000000000", new string('9', 400), "%0D%0AX-Injected:%201", "<script>", "'%20OR%201=1--",
    ];

    private static readonly string[] QueryValues =
    [
        "", "-1", "0", "2147483648", "-2147483649", "9223372036854775808", "1e400", "NaN", "abc", "%00", "a%00b",
        "%ED%A0%80", "%FF", "true", "[]", "{}", "..%2F..%2Fetc", "%27%20OR%201%3D1--", Uri.EscapeDataString(new string('a', 5000)),
    ];

    private static readonly (string? ContentType, string Body)[] WholeBodies =
    [
        ("application/json", ""), ("application/json", "null"), ("application/json", "[]"), ("application/json", "{"),
        ("application/json", "\"text\""), ("application/json", "123"), ("application/json", "{\"unknown\":1}"),
        ("application/json", new string('[', 5000) + new string(']', 5000)), ("application/json", "{\"a\":\"\\u0000\"}"),
        ("text/plain", "{}"), ("application/xml", "<a/>"), ("application/x-www-form-urlencoded", "a=1&b=%00"),
        ("multipart/form-data; boundary=x", "--x\r\n\r\n--x--"), (null, "{}"),
    ];

    private static readonly string[] Charsets = ["bogus", "utf-16", "iso-8859-1", "\"utf-8\"", "UTF-8"];

    private readonly Random _random = new(seed);

    /// <summary>At least <paramref name="perOperation"/> requests for each operation.</summary>
    public IEnumerable<FuzzRequest> Requests(int perOperation)
    {
        foreach (var (path, method, operation) in OpenApiDocuments.Operations(document))
        {
            var id = operation.TryGetProperty("operationId", out var o) ? o.GetString()! : $"{method} {path}";
            var cases = Cases(path, method, operation).ToList();
            while (cases.Count < perOperation)
            {
                cases.Add(RandomCase(path, method, operation));
            }
            foreach (var (url, contentType, body, name) in cases)
            {
                yield return new FuzzRequest(service, id, method, url, contentType, body, name);
            }
        }
    }

    private IEnumerable<(string Url, string? ContentType, byte[]? Body, string Case)> Cases(string path, string method, JsonElement operation)
    {
        var parameters = Parameters(operation).ToList();
        var schema = BodySchema(operation);
        var validBody = schema is null ? null : Sample(schema.Value, 0);
        byte[]? Json(JsonNode? node) => node is null ? null : Encode(node);
        var contentType = schema is null ? null : "application/json";

        // Route values, one at a time.
        foreach (var route in parameters.Where(p => p.In == "path"))
        {
            foreach (var value in RouteValues)
            {
                yield return (Url(path, parameters, (route.Name, value)), contentType, Json(validBody), $"route {route.Name}={value[..Math.Min(value.Length, 20)]}");
            }
        }
        // Query values, one at a time, then unknown and repeated parameters.
        foreach (var query in parameters.Where(p => p.In == "query"))
        {
            foreach (var value in QueryValues)
            {
                yield return (Url(path, parameters, (query.Name, value)), contentType, Json(validBody), $"query {query.Name}={value[..Math.Min(value.Length, 20)]}");
            }
            yield return (Url(path, parameters) + $"?{query.Name}=1&{query.Name}=2", contentType, Json(validBody), $"query {query.Name} twice");
        }
        yield return (Url(path, parameters) + "?unknown%00=%00&x=" + Uri.EscapeDataString("\u0001\u001f"), contentType, Json(validBody), "unknown query");

        if (schema is null)
        {
            if (method is "post" or "put" or "patch")
            {
                yield return (Url(path, parameters), "application/json; charset=bogus", Encoding.UTF8.GetBytes("{}"), "unexpected body, bogus charset");
            }
            yield break;
        }
        // One field broken at a time, at every depth the sample reaches.
        foreach (var (pointer, mutation, label) in FieldMutations(validBody!))
        {
            var copy = validBody!.DeepClone();
            Apply(copy, pointer, mutation);
            yield return (Url(path, parameters), contentType, Encode(copy), $"body {string.Join('.', pointer)}: {label}");
        }
        foreach (var (type, body) in WholeBodies)
        {
            yield return (Url(path, parameters), type, Encoding.UTF8.GetBytes(body), $"body '{body[..Math.Min(body.Length, 12)]}' as {type ?? "no type"}");
        }
        yield return (Url(path, parameters), contentType, [0xFF, 0xFE, 0x7B, 0x7D], "invalid UTF-8");
        yield return (Url(path, parameters), contentType, Encoding.UTF8.GetBytes("{\"a\":\"" + Megabyte + "\"}"), "1 MB unknown field");
        foreach (var charset in Charsets)
        {
            yield return (Url(path, parameters), $"application/json; charset={charset}", Json(validBody), $"charset {charset}");
        }
    }

    /// <summary>Two random breaks at once: a bad route or query value and a broken field.</summary>
    private (string Url, string? ContentType, byte[]? Body, string Case) RandomCase(string path, string method, JsonElement operation)
    {
        var parameters = Parameters(operation).ToList();
        var choices = parameters.Select(p => (p.Name, p.In == "path" ? Pick(RouteValues) : Pick(QueryValues))).ToList();
        (string Name, string Value)[] bad = choices.Count == 0 ? [] : [choices[_random.Next(choices.Count)]];
        var url = Url(path, parameters, bad);
        var schema = BodySchema(operation);
        if (schema is null)
        {
            return (url, null, null, $"random {string.Join(',', bad.Select(b => b.Name))}");
        }
        var body = Sample(schema.Value, 0)!;
        var mutations = FieldMutations(body).ToList();
        var label = "";
        for (var i = 0; i < 2 && mutations.Count > 0; i++)
        {
            var (pointer, mutation, name) = mutations[_random.Next(mutations.Count)];
            Apply(body, pointer, mutation);
            label += $" {string.Join('.', pointer)}: {name};";
            mutations = FieldMutations(body).ToList();
        }
        return (url, "application/json", Encode(body), $"random{label}");
    }

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    private Guid NewGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Ways to break the value at each place of a body (all leaves and containers, up to 40 places).</summary>
    private static IEnumerable<(string[] Pointer, Func<JsonNode?, JsonNode?> Mutation, string Label)> FieldMutations(JsonNode body)
    {
        foreach (var (pointer, node) in Places(body, []).Take(40))
        {
            if (pointer.Length == 0)
            {
                continue;
            }
            yield return (pointer, _ => null, "null");
            yield return (pointer, _ => JsonValue.Create("a\u0000b"), "NUL");
            yield return (pointer, _ => JsonValue.Create("\u0001\u0007\u001b[31m\u007f"), "control characters");
            yield return (pointer, _ => JsonValue.Create(LoneSurrogateMarker), "lone surrogate");
            yield return (pointer, _ => JsonValue.Create(Megabyte), "1 MB string");
            yield return (pointer, _ => new JsonArray(null, null), "array of nulls");
            yield return (pointer, _ => new JsonObject { ["x"] = new JsonArray(JsonValue.Create(1)) }, "object");
            yield return (pointer, _ => Remove, "missing");
            switch (node)
            {
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                    foreach (var extreme in new[] { "2147483647", "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775809", "1e308", "1e400", "-0", "0.5", "79228162514264337593543950336" })
                    {
                        yield return (pointer, _ => JsonNode.Parse(extreme), extreme);
                    }
                    yield return (pointer, _ => JsonValue.Create("12"), "number as text");
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    yield return (pointer, _ => JsonValue.Create(-2147483648), "number for text");
                    yield return (pointer, _ => JsonValue.Create(""), "empty");
                    yield return (pointer, _ => JsonValue.Create("   "), "blank");
                    yield return (pointer, _ => JsonValue.Create("../../etc/passwd"), "path traversal");
                    yield return (pointer, _ => JsonValue.Create("\U0001F600\u200B\uFEFF"), "emoji and invisible");
                    break;
                case JsonArray:
                    yield return (pointer, _ => new JsonArray(JsonValue.Create(0), null), "array with null");
                    yield return (pointer, _ => new JsonArray([.. Enumerable.Range(0, 5000).Select(i => (JsonNode?)JsonValue.Create(i))]), "5000 items");
                    yield return (pointer, _ => new JsonArray(), "empty array");
                    break;
                case JsonObject:
                    yield return (pointer, _ => new JsonObject { ["\u0000"] = 1, ["extra"] = "x" }, "object with NUL key");
                    break;
            }
        }
        yield return (["extraField"], _ => JsonValue.Create("x"), "extra field");
    }

    /// <summary>Marks a field to remove (JSON null cannot say "absent").</summary>
    private static readonly JsonNode Remove = JsonValue.Create("\u2063REMOVE\u2063");

    private static IEnumerable<(string[] Pointer, JsonNode? Node)> Places(JsonNode? node, string[] pointer)
    {
        yield return (pointer, node);
        if (pointer.Length >= 4)
        {
            yield break;
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    foreach (var place in Places(child, [.. pointer, name]))
                    {
                        yield return place;
                    }
                }
                break;
            case JsonArray array when array.Count > 0:
                foreach (var place in Places(array[0], [.. pointer, "0"]))
                {
                    yield return place;
                }
                break;
        }
    }

    private static void Apply(JsonNode root, string[] pointer, Func<JsonNode?, JsonNode?> mutation)
    {
        var parent = root;
        foreach (var step in pointer[..^1])
        {
            parent = parent switch
            {
                JsonObject obj => obj[step] ?? (obj[step] = new JsonObject()),
                JsonArray array => array[int.Parse(step, CultureInfo.InvariantCulture)]!,
                _ => parent,
            } ?? parent;
        }
        var last = pointer[^1];
        switch (parent)
        {
            case JsonObject obj:
                var replacement = mutation(obj[last]);
                if (ReferenceEquals(replacement, Remove))
                {
                    obj.Remove(last);
                }
                else
                {
                    obj[last] = replacement?.Parent is null ? replacement : replacement.DeepClone();
                }
                break;
            case JsonArray array:
                var index = int.Parse(last, CultureInfo.InvariantCulture);
                var item = mutation(array[index]);
                array[index] = ReferenceEquals(item, Remove) ? null : item?.Parent is null ? item : item.DeepClone();
                break;
        }
    }

    private static byte[] Encode(JsonNode node)
    {
        var text = node.ToJsonString();
        // A lone surrogate cannot live in a .NET string the writer accepts: it is put in as JSON's escape.
        return Encoding.UTF8.GetBytes(text.Replace(JsonSerializer.Serialize(LoneSurrogateMarker)[1..^1], "\\ud800", StringComparison.Ordinal));
    }

    /// <summary>A valid-looking value of a schema: the shape the endpoint expects, which the mutations then break.</summary>
    private JsonNode? Sample(JsonElement schema, int depth)
    {
        schema = Resolve(schema);
        if (depth > 5)
        {
            return null;
        }
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText());
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                var first = options.EnumerateArray().Select(Resolve).FirstOrDefault(s => !IsNullType(s));
                return first.ValueKind == JsonValueKind.Undefined ? null : Sample(first, depth + 1);
            }
        }
        var type = Type(schema);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return type switch
        {
            "object" => SampleObject(schema, depth),
            "array" => new JsonArray(schema.TryGetProperty("items", out var items) ? Sample(items, depth + 1) : JsonValue.Create(1)),
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(1.5),
            "boolean" => JsonValue.Create(true),
            "string" when format == "uuid" => JsonValue.Create(NewGuid().ToString()),
            "string" when format == "date-time" => JsonValue.Create("2026-12-07T10:00:00Z"),
            "string" when format == "date" => JsonValue.Create("2026-12-07"),
            "string" when format == "email" => JsonValue.Create("fuzz@example.test"),
            "string" => JsonValue.Create("fuzz"),
            _ => schema.TryGetProperty("properties", out _) ? SampleObject(schema, depth) : JsonValue.Create("fuzz"),
        };
    }

    private JsonObject SampleObject(JsonElement schema, int depth)
    {
        var obj = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                obj[property.Name] = Sample(property.Value, depth + 1);
            }
        }
        else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
        {
            obj["key"] = Sample(additional, depth + 1);
        }
        return obj;
    }

    private static string? Type(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return null;
        }
        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }
        var types = type.EnumerateArray().Select(t => t.GetString()).Where(t => t != "null").ToList();
        // .NET writes numbers as ["integer","string"] (text allowed): the number is the shape.
        return types.FirstOrDefault(t => t is "integer" or "number") ?? types.FirstOrDefault();
    }

    private static bool IsNullType(JsonElement schema) => schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null";

    private JsonElement Resolve(JsonElement schema)
    {
        for (var i = 0; i < 10 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); i++)
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    private static JsonElement? BodySchema(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content)
            && content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } json
            && json.Value.TryGetProperty("schema", out var schema)
            ? schema
            : null;

    private sealed record Parameter(string Name, string In, JsonElement Schema);

    private static IEnumerable<Parameter> Parameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Select(p => new Parameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                p.TryGetProperty("schema", out var s) ? s : default))
            : [];

    /// <summary>The path with each route value filled in (a valid-looking one unless overridden) and the overridden query values.</summary>
    private string Url(string path, List<Parameter> parameters, params (string Name, string Value)[] overrides)
    {
        var url = path;
        foreach (var route in parameters.Where(p => p.In == "path"))
        {
            var value = overrides.FirstOrDefault(o => o.Name == route.Name).Value ?? ValidRouteValue(route);
            url = url.Replace("{" + route.Name + "}", value, StringComparison.Ordinal);
        }
        var query = overrides.Where(o => parameters.Any(p => p.In == "query" && p.Name == o.Name)).Select(o => $"{Uri.EscapeDataString(o.Name)}={o.Value}").ToList();
        return query.Count == 0 ? url : url + "?" + string.Join('&', query);
    }

    private string ValidRouteValue(Parameter route)
    {
        var schema = route.Schema.ValueKind == JsonValueKind.Object ? Resolve(route.Schema) : default;
        var type = schema.ValueKind == JsonValueKind.Object ? Type(schema) : null;
        var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return type is "integer" or "number" ? _random.Next(1, 50).ToString(CultureInfo.InvariantCulture)
            : format == "uuid" ? NewGuid().ToString()
            : "fuzz";
    }
}
