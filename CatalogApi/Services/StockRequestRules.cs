using System.Globalization;
using CatalogApi.Model;

namespace CatalogApi.Services;

/// <summary>Checks of stock and reservation requests, errors keyed by the field at fault. Pure, so it is unit tested.</summary>
public static class StockRequestRules
{
    public const int MaxLines = 100;
    public const int MaxOwnerLength = 200;
    public const int MaxTextLength = 500;

    public static Dictionary<string, string[]> CheckReservation(CreateReservationRequest request, int maxSeconds)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Owner) || request.Owner.Trim().Length > MaxOwnerLength)
        {
            errors["owner"] = [$"An owner (such as a cart or order id) of 1 to {MaxOwnerLength} characters is required."];
        }
        if (request.Id == Guid.Empty)
        {
            errors["id"] = ["The reservation id cannot be the empty GUID."];
        }
        var lines = request.Lines ?? [];
        if (lines.Count is 0 or > MaxLines)
        {
            errors["lines"] = [$"A reservation has 1 to {MaxLines} lines."];
        }
        for (var i = 0; i < lines.Count && i < MaxLines; i++)
        {
            if (lines[i] is null || lines[i].VariantId is not > 0)
            {
                errors[$"lines[{i}].variantId"] = ["A variant id is required."];
            }
            if (lines[i]?.Quantity is not (> 0 and <= StockRules.MaxQuantity))
            {
                errors[$"lines[{i}].quantity"] = [$"The quantity must be from 1 to {StockRules.MaxQuantity}."];
            }
        }
        if (errors.Count == 0 && lines.GroupBy(l => l.VariantId).Any(g => g.Sum(l => (long)l.Quantity!.Value) > StockRules.MaxQuantity))
        {
            errors["lines"] = [$"At most {StockRules.MaxQuantity} units of one variant."];
        }
        CheckSeconds(request.ExpiresInSeconds, maxSeconds, errors);
        CheckText(request.Reference, "reference", errors);
        return errors;
    }

    public static Dictionary<string, string[]> CheckExtend(ExtendReservationRequest request, int maxSeconds)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ExpiresInSeconds is null)
        {
            errors["expiresInSeconds"] = ["expiresInSeconds is required."];
        }
        CheckSeconds(request.ExpiresInSeconds, maxSeconds, errors);
        return errors;
    }

    public static Dictionary<string, string[]> CheckSet(SetStockRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.OnHand is not (>= 0 and <= StockRules.MaxQuantity))
        {
            errors["onHand"] = [$"onHand must be from 0 to {StockRules.MaxQuantity}."];
        }
        CheckReason(request.Reason, errors);
        return errors;
    }

    public static Dictionary<string, string[]> CheckAdjust(AdjustStockRequest request, out StockMovementKind kind)
    {
        var errors = new Dictionary<string, string[]>();
        if (!StockRules.TryParseKind(request.Kind ?? "adjustment", out kind) || kind == StockMovementKind.Sale)
        {
            errors["kind"] = ["kind must be receipt, adjustment or return (sales come from committed reservations)."];
        }
        if (request.Quantity is null)
        {
            errors["quantity"] = ["A quantity is required (negative to take stock off with an adjustment)."];
        }
        else if (!errors.ContainsKey("kind") && StockRules.CheckAdjustment(kind, request.Quantity.Value) is { } problem)
        {
            errors["quantity"] = [problem];
        }
        CheckReason(request.Reason, errors);
        CheckText(request.Reference, "reference", errors);
        return errors;
    }

    public static Dictionary<string, string[]> CheckPage(
        string? page, string? pageSize, int defaultPageSize, out int pageNumber, out int size, int maxPageSize = ProductSearch.MaxPageSize)
    {
        var errors = new Dictionary<string, string[]>();
        pageNumber = ParseWholeNumber(page, "page", 1, 1, ProductSearch.MaxPage, errors);
        size = ParseWholeNumber(pageSize, "pageSize", defaultPageSize, 1, maxPageSize, errors);
        return errors;
    }

    /// <summary>A query parameter that is a whole number from min to max (the fallback when absent); else an error under its name.</summary>
    public static int ParseWholeNumber(string? text, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [$"{field} must be a whole number from {min} to {max}."];
            return fallback;
        }
        return value;
    }

    private static void CheckSeconds(int? seconds, int maxSeconds, Dictionary<string, string[]> errors)
    {
        if (seconds is { } s && (s < 1 || s > maxSeconds))
        {
            errors["expiresInSeconds"] = [$"expiresInSeconds must be from 1 to {maxSeconds}."];
        }
    }

    private static void CheckReason(string? reason, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxTextLength)
        {
            errors["reason"] = [$"A reason of 1 to {MaxTextLength} characters is required (it is kept with the stock movement)."];
        }
    }

    private static void CheckText(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is { Length: > MaxTextLength })
        {
            errors[field] = [$"{field} is limited to {MaxTextLength} characters."];
        }
    }
}
