namespace ECommerce.AppHost.Telemetry;

/// <summary>Attribute lists as the dashboard shows them: keys with their values turned into text.</summary>
internal static class TelemetryAttributes
{
    public static string? Get(this IReadOnlyList<KeyValuePair<string, string>> attributes, string key)
    {
        foreach (var (k, v) in attributes)
        {
            if (k == key)
            {
                return v;
            }
        }
        return null;
    }

    public static bool AnyValueContains(this IReadOnlyList<KeyValuePair<string, string>> attributes, string text) =>
        attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase));
}
