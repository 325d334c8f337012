namespace Storefront.Model;

// Product specifications as CatalogApi gives them (CatalogApi/Model/Specifications.cs), JSON camelCase.

/// <summary>One line of a category's spec sheet: a number with a unit and a range, or one of fixed choices.</summary>
public sealed record SpecDefinition(
    string Category, string Key, string Label, string Kind, string? Unit, IReadOnlyList<string>? Choices,
    decimal? Min, decimal? Max, int Decimals, string? Sort, string? SortLabel, int Position)
{
    public bool IsNumber => Kind == "number";
}

/// <summary>A product's value of one spec, with the value as shown ("3 persons", "2,150 g").</summary>
public sealed record ProductSpec(string Key, string Label, string Kind, string? Unit, decimal? Number, string? Choice, string Display);

/// <summary>A spec facet of a listing: a choice's values with counts, or a number's lowest and highest value.</summary>
public sealed record SpecFacet(
    string Key, string Label, string Kind, string? Unit, int Count, decimal? Min, decimal? Max,
    IReadOnlyList<FacetValue>? Values, string? Sort, string? SortLabel)
{
    public bool IsNumber => Kind == "number";
}
