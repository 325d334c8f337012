using System.Globalization;
using System.Text.Json;
using CatalogApi.Model;

namespace CatalogApi.Services.Specs;

/// <summary>A product's spec values as stored in <c>products.specs</c>: a number or a choice per key.</summary>
public readonly record struct SpecValue(decimal? Number, string? Choice);

/// <summary>
/// Spec sheets: the definitions of the seed file (<c>Infrastructure/Seed/spec-definitions.json</c>), which applies to a
/// category (its own and its ancestors'), reading and writing <c>products.specs</c>, and checking an admin's sheet
/// against the definitions. Pure: no database.
/// </summary>
public static class SpecSheets
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The definitions of the seed file, in file order (<see cref="SpecDefinition.Position"/> numbers it).</summary>
    public static IReadOnlyList<SpecDefinition> FromSeedFile { get; } = LoadSeedFile();

    private static List<SpecDefinition> LoadSeedFile()
    {
        using var stream = typeof(SpecSheets).Assembly.GetManifestResourceStream("CatalogSeed/spec-definitions.json")
            ?? throw new InvalidOperationException("spec-definitions.json is not embedded");
        var definitions = JsonSerializer.Deserialize<List<SpecDefinition>>(stream, Json) ?? [];
        return [.. definitions.Select((d, i) => d with { Position = i })];
    }

    /// <summary>
    /// The definitions that apply to a product of the category whose path (root first) is <paramref name="categoryPath"/>:
    /// the root's first, then down the path, each category's in position order.
    /// </summary>
    public static List<SpecDefinition> ForPath(IReadOnlyList<SpecDefinition> all, IEnumerable<string> categoryPath)
    {
        var result = new List<SpecDefinition>();
        foreach (var slug in categoryPath)
        {
            result.AddRange(all.Where(d => d.Category == slug).OrderBy(d => d.Position));
        }
        return result;
    }

    /// <summary>Reads <c>products.specs</c>: numbers and strings by key (anything else is ignored).</summary>
    public static Dictionary<string, SpecValue> Parse(string? json)
    {
        var values = new Dictionary<string, SpecValue>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return values;
        }
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return values;
        }
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDecimal(out var number))
            {
                values[property.Name] = new SpecValue(number, null);
            }
            else if (property.Value.ValueKind == JsonValueKind.String)
            {
                values[property.Name] = new SpecValue(null, property.Value.GetString());
            }
        }
        return values;
    }

    /// <summary>Writes values as <c>products.specs</c> holds them, keys in order.</summary>
    public static string ToJson(IEnumerable<KeyValuePair<string, SpecValue>> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                if (value.Number is { } number)
                {
                    writer.WriteNumber(key, number);
                }
                else if (value.Choice is { } choice)
                {
                    writer.WriteString(key, choice);
                }
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A product's sheet as shoppers see it: every applicable definition the product has a value for, in sheet order.</summary>
    public static List<ProductSpec> Sheet(IReadOnlyList<SpecDefinition> applicable, IReadOnlyDictionary<string, SpecValue> values) =>
        [.. applicable
            .Where(d => values.ContainsKey(d.Key))
            .Select(d => (Definition: d, Value: values[d.Key]))
            .Where(x => x.Definition.IsNumber ? x.Value.Number is not null : x.Value.Choice is not null)
            .Select(x => new ProductSpec(x.Definition.Key, x.Definition.Label, x.Definition.Kind, x.Definition.Unit,
                x.Value.Number, x.Value.Choice, x.Definition.Display(x.Value.Number, x.Value.Choice)))];

    /// <summary>
    /// Checks an admin's sheet against the definitions that apply: known keys only, numbers within the range with at
    /// most the definition's decimals, choices among the choices (any case; stored as the definition spells them).
    /// Errors are keyed <c>specs.KEY</c>.
    /// </summary>
    public static Dictionary<string, SpecValue> Check(
        IReadOnlyList<SpecDefinition> applicable, IReadOnlyDictionary<string, JsonElement?> given, Dictionary<string, string[]> errors)
    {
        var byKey = applicable.ToDictionary(d => d.Key, StringComparer.Ordinal);
        var values = new Dictionary<string, SpecValue>(StringComparer.Ordinal);
        foreach (var (rawKey, element) in given)
        {
            var key = rawKey.Trim().ToLowerInvariant();
            var field = $"specs.{Shorten(key)}";
            if (!byKey.TryGetValue(key, out var definition))
            {
                errors[field] = [applicable.Count == 0
                    ? "This product's category has no specifications."
                    : $"Unknown specification: use one of {string.Join(", ", applicable.Select(d => d.Key))}."];
                continue;
            }
            if (element is not { } value || value.ValueKind == JsonValueKind.Null)
            {
                continue; // cleared
            }
            if (definition.IsNumber)
            {
                decimal number = 0;
                var ok = value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out number)
                    || value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
                if (!ok)
                {
                    errors[field] = [$"{definition.Label} must be a number{(definition.Unit is null ? "" : $" (in {definition.Unit})")}."];
                }
                else if (number < definition.Min || number > definition.Max)
                {
                    errors[field] = [$"{definition.Label} must be from {definition.Display(definition.Min, null)} to {definition.Display(definition.Max, null)}."];
                }
                else if (decimal.Round(number, definition.Decimals) != number)
                {
                    errors[field] = [definition.Decimals == 0
                        ? $"{definition.Label} must be a whole number."
                        : $"{definition.Label} takes at most {definition.Decimals} decimal places."];
                }
                else
                {
                    values[key] = new SpecValue(number, null);
                }
            }
            else
            {
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
                var choice = text is null ? null : definition.Choices!.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                if (choice is null)
                {
                    errors[field] = [$"{definition.Label} must be one of: {string.Join(", ", definition.Choices!)}."];
                }
                else
                {
                    values[key] = new SpecValue(null, choice);
                }
            }
        }
        return values;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40];
}
