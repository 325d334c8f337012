using System.Text.Json.Nodes;
using Google.Protobuf;

namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// OTLP/JSON is protobuf's JSON mapping with one difference: trace and span ids are hex, not base64.
/// They are rewritten, then the standard parser reads the message (unknown fields are skipped).
/// </summary>
internal static class OtlpJson
{
    private static readonly HashSet<string> IdFields = new(StringComparer.Ordinal)
    {
        "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id",
    };

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static T Parse<T>(byte[] body) where T : IMessage, new()
    {
        var root = JsonNode.Parse(body) ?? throw new FormatException("The body is empty.");
        RewriteIds(root);
        return Parser.Parse<T>(root.ToJsonString());
    }

    private static void RewriteIds(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (IdFields.Contains(name) && value is JsonValue id && id.TryGetValue<string>(out var hex))
                    {
                        obj[name] = Convert.ToBase64String(Convert.FromHexString(hex));
                    }
                    else if (value is not null)
                    {
                        RewriteIds(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteIds(item);
                    }
                }
                break;
        }
    }
}
