using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatalogApi.Model;

// Product specifications: what a category's spec sheet holds (spec_definitions) and a product's values (products.specs).

/// <summary>
/// One line of a category's spec sheet: a number with a unit and a range (<c>kind: number</c>), or one of fixed
/// <see cref="Choices"/> (<c>kind: choice</c>). Defined on <see cref="Category"/> (a slug), it applies to every
/// category under it. <see cref="Sort"/> (asc or desc) says the spec makes a listing sort, in that order, called <see cref="SortLabel"/>.
/// </summary>
public sealed record SpecDefinition(
    string Category,
    string Key,
    string Label,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Min,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Max,
    int Decimals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sort,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SortLabel,
    int Position)
{
    public const string Number = "number", Choice = "choice";

    [JsonIgnore]
    public bool IsNumber => Kind == Number;

    /// <summary>A value as the sheet shows it: "3 persons", "2,150 g", "-5 °C", "4.2", "Down".</summary>
    public string Display(decimal? number, string? choice) =>
        number is { } n
            ? n.ToString(Decimals == 0 ? "#,0" : "#,0." + new string('0', Decimals), CultureInfo.InvariantCulture) + Unit switch
            {
                null => "",
                "%" => "%",
                "persons" or "speeds" when n == 1 => " " + Unit[..^1],
                _ => " " + Unit,
            }
            : choice ?? "";
}

/// <summary>A product's value of one spec, with the definition's label and unit and the value as shown.</summary>
public sealed record ProductSpec(
    string Key,
    string Label,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Number,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Choice,
    string Display);

/// <summary>
/// A spec facet of a listing (the chosen category's sheet): for a choice, its values with counts; for a number, the
/// lowest and highest value and how many products have one. Counted with every filter but the spec's own.
/// </summary>
public sealed record SpecFacet(
    string Key,
    string Label,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit,
    int Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Min,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Max,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FacetValue>? Values,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sort,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SortLabel);

/// <summary>
/// <c>PUT /api/catalog/products/{id}/specs</c>: the product's whole sheet, key to value (a JSON number for a number
/// spec, the choice's text for a choice spec); keys left out (or null) are cleared.
/// </summary>
public sealed record UpdateSpecsRequest(Dictionary<string, JsonElement?>? Specs);

/// <summary>
/// Listing filter on a spec (the key in lower case): a number range (either end open) or choice values (OR-ed, lower case).
/// Written <c>spec=capacity:4..</c>, <c>spec=weight:..2000</c>, <c>spec=comfort-temperature:-10..0</c>, <c>spec=fill:down,synthetic</c>.
/// </summary>
public sealed record SpecFilter(string Key, decimal? Min, decimal? Max, IReadOnlyList<string> Values)
{
    public bool IsRange => Values.Count == 0;

    public override string ToString() => IsRange
        ? $"{Key}:{Min?.ToString(CultureInfo.InvariantCulture)}..{Max?.ToString(CultureInfo.InvariantCulture)}"
        : $"{Key}:{string.Join(',', Values)}";
}

/// <summary>Sort by a spec: <c>sort=spec:weight</c> (the definition's order) or <c>sort=spec:weight:desc</c>.</summary>
public sealed record SpecSort(string Key, bool? Descending)
{
    public override string ToString() => Descending is { } d ? $"spec:{Key}:{(d ? "desc" : "asc")}" : $"spec:{Key}";
}
