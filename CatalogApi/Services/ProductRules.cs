using System.Text.RegularExpressions;
using CatalogApi.Model;

namespace CatalogApi.Services;

/// <summary>
/// What an admin may write: checks of product and variant requests, with errors keyed by the JSON path at fault
/// (<c>variants[2].price</c>). Pure, so it is unit tested; the database checks (brand exists, slug free) come after.
/// </summary>
public static partial class ProductRules
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 5000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const int MaxOptions = 4;
    public const int MaxOptionValues = 50;
    public const int MaxOptionTextLength = 40;
    public const int MaxVariants = 500;
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxLeadTimeDays = 365;
    public const int DefaultReorderPoint = 5;
    public const int DefaultLeadTimeDays = 14;

    public static Dictionary<string, string[]> CheckCreate(CreateProductRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        CheckProductFields(request.Name, request.Slug, request.Description, request.BrandId, request.CategoryId, request.Tags, errors);

        var options = request.Options ?? [];
        if (options.Count > MaxOptions)
        {
            errors["options"] = [$"At most {MaxOptions} option types."];
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Count; i++)
        {
            if (options[i] is null)
            {
                errors[$"options[{i}]"] = ["An option cannot be null."];
                continue;
            }
            var name = options[i].Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > MaxOptionTextLength)
            {
                errors[$"options[{i}].name"] = [$"An option needs a name of 1 to {MaxOptionTextLength} characters."];
            }
            else if (!names.Add(name))
            {
                errors[$"options[{i}].name"] = [$"The option '{name}' is listed twice."];
            }
            var values = options[i].Values ?? [];
            if (values.Count is 0 or > MaxOptionValues)
            {
                errors[$"options[{i}].values"] = [$"An option needs 1 to {MaxOptionValues} values."];
            }
            else if (values.Any(v => string.IsNullOrWhiteSpace(v) || v.Trim().Length > MaxOptionTextLength))
            {
                errors[$"options[{i}].values"] = [$"Option values are 1 to {MaxOptionTextLength} characters."];
            }
            else if (values.Select(v => v.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != values.Count)
            {
                errors[$"options[{i}].values"] = ["An option value is listed twice."];
            }
        }

        var variants = request.Variants ?? [];
        if (variants.Count > MaxVariants)
        {
            errors["variants"] = [$"At most {MaxVariants} variants."];
        }
        if (errors.Keys.Any(k => k.StartsWith("options", StringComparison.Ordinal)))
        {
            return errors; // variants are checked against valid options only
        }
        var declared = options.Select(o => (Name: o.Name!.Trim(), Values: (IReadOnlyList<string>)[.. o.Values!.Select(v => v.Trim())])).ToList();
        var combinations = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var skus = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < variants.Count; i++)
        {
            var prefix = $"variants[{i}]";
            if (variants[i] is null)
            {
                errors[prefix] = ["A variant cannot be null."];
                continue;
            }
            if (CheckVariant(variants[i], declared, allowNewValues: false, prefix, errors) is { } combination && !combinations.Add(combination))
            {
                errors[$"{prefix}.options"] = ["Another variant has the same option values."];
            }
            if (variants[i].Sku is { } sku && !skus.Add(sku.Trim()))
            {
                errors[$"{prefix}.sku"] = ["Another variant has the same SKU."];
            }
        }
        return errors;
    }

    public static Dictionary<string, string[]> CheckUpdate(UpdateProductRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        CheckProductFields(request.Name, request.Slug, request.Description, request.BrandId, request.CategoryId, request.Tags, errors);
        return errors;
    }

    public static Dictionary<string, string[]> CheckVariantUpdate(UpdateVariantRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Price is null && request.ReorderPoint is null && request.LeadTimeDays is null)
        {
            errors["price"] = ["Send at least one of price, reorderPoint, leadTimeDays."];
        }
        CheckPrice(request.Price, "price", required: false, errors);
        CheckRange(request.ReorderPoint, "reorderPoint", 0, StockRules.MaxQuantity, errors);
        CheckRange(request.LeadTimeDays, "leadTimeDays", 0, MaxLeadTimeDays, errors);
        return errors;
    }

    /// <summary>
    /// Checks one variant against the product's options: exactly one value per option, from the option's values
    /// (or new ones when <paramref name="allowNewValues"/>). Returns its combination key when the options are valid.
    /// </summary>
    public static string? CheckVariant(
        VariantInput variant, IReadOnlyList<(string Name, IReadOnlyList<string> Values)> options, bool allowNewValues, string prefix,
        Dictionary<string, string[]> errors)
    {
        var p = prefix.Length == 0 ? "" : prefix + ".";
        if (variant.Sku is { } sku && !SkuPattern().IsMatch(sku.Trim()))
        {
            errors[p + "sku"] = ["A SKU is 1 to 64 letters, digits, '-', '_' or '.'."];
        }
        CheckPrice(variant.Price, p + "price", required: true, errors);
        CheckRange(variant.OnHand, p + "onHand", 0, StockRules.MaxQuantity, errors);
        CheckRange(variant.ReorderPoint, p + "reorderPoint", 0, StockRules.MaxQuantity, errors);
        CheckRange(variant.LeadTimeDays, p + "leadTimeDays", 0, MaxLeadTimeDays, errors);

        var given = variant.Options ?? [];
        var problems = new List<string>();
        foreach (var (name, _) in given)
        {
            if (!options.Any(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"The product has no option '{name}'.");
            }
        }
        var key = new List<string>();
        foreach (var option in options)
        {
            var value = given.FirstOrDefault(g => string.Equals(g.Key, option.Name, StringComparison.OrdinalIgnoreCase)).Value?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                problems.Add($"A value for '{option.Name}' is required.");
            }
            else if (value.Length > MaxOptionTextLength)
            {
                problems.Add($"'{option.Name}' values are at most {MaxOptionTextLength} characters.");
            }
            else if (!allowNewValues && !option.Values.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"'{value}' is not one of the values of '{option.Name}' ({string.Join(", ", option.Values)}).");
            }
            else
            {
                key.Add(option.Name.ToLowerInvariant() + "=" + value.ToLowerInvariant());
            }
        }
        if (problems.Count > 0)
        {
            errors[p + "options"] = [.. problems];
            return null;
        }
        return string.Join('|', key);
    }

    /// <summary>Tags as stored: trimmed, lower case, without repeats.</summary>
    public static List<string> NormalizeTags(IEnumerable<string>? tags) =>
        [.. (tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct()];

    private static void CheckProductFields(
        string? name, string? slug, string? description, int? brandId, int? categoryId, List<string>? tags, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length < 2 || name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"A name of 2 to {MaxNameLength} characters is required."];
        }
        if (slug is not null && !Slug.IsValid(slug))
        {
            errors["slug"] = [$"A slug is lower-case letters, digits and single hyphens, at most {Slug.MaxLength} characters (e.g. 'trail-runner-2')."];
        }
        if (description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"The description is limited to {MaxDescriptionLength} characters."];
        }
        if (brandId is not > 0)
        {
            errors["brandId"] = ["A brand id is required."];
        }
        if (categoryId is not > 0)
        {
            errors["categoryId"] = ["A category id is required."];
        }
        if (tags is { Count: > MaxTags })
        {
            errors["tags"] = [$"At most {MaxTags} tags."];
        }
        else if (tags is not null && tags.Any(t => t is null || t.Trim().Length is 0 or > MaxTagLength))
        {
            errors["tags"] = [$"Tags are 1 to {MaxTagLength} characters."];
        }
    }

    private static void CheckPrice(decimal? price, string field, bool required, Dictionary<string, string[]> errors)
    {
        if (price is null)
        {
            if (required)
            {
                errors[field] = ["A price is required."];
            }
            return;
        }
        if (price < 0 || price > MaxPrice)
        {
            errors[field] = [$"The price must be between 0 and {MaxPrice:0}."];
        }
        else if (decimal.Round(price.Value, 2) != price.Value)
        {
            errors[field] = ["The price has at most two decimals."];
        }
    }

    private static void CheckRange(int? value, string field, int min, int max, Dictionary<string, string[]> errors)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors[field] = [$"{field.Split('.')[^1]} must be from {min} to {max}."];
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SkuPattern();
}
