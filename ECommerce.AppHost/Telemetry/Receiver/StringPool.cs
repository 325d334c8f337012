using System.Collections.Concurrent;

namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// One instance of each short, repeated string (attribute keys, "GET", a route, a resource name):
/// the store keeps tens of thousands of spans, and without this each would hold its own copies.
/// Bounded: once full, new strings are kept as they come.
/// </summary>
internal static class StringPool
{
    private const int MaxLength = 64;
    private const int MaxEntries = 20_000;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Share(string value)
    {
        if (value.Length > MaxLength || LooksUnique(value))
        {
            return value;
        }
        if (Pool.TryGetValue(value, out var shared))
        {
            return shared;
        }
        return Pool.Count < MaxEntries ? Pool.GetOrAdd(value, value) : value;
    }

    /// <summary>Trace and span ids (16 or 32 hex digits) and GUIDs never repeat: pooling them would only fill the pool.</summary>
    private static bool LooksUnique(string value) =>
        value.Length is 16 or 32 && !value.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF")
        || value.Length == 36 && Guid.TryParse(value, out _);
}
