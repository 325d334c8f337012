using System.Globalization;

namespace Storefront.Services;

/// <summary>Money, dates and option texts as shoppers read them, in their culture (from the browser's languages).</summary>
public static class Format
{
    /// <summary>An amount in its currency, written the way the current culture writes money (€1,234.50 or 1.234,50 €).</summary>
    public static string Money(decimal amount, string currency = "EUR")
    {
        var culture = CultureInfo.CurrentCulture;
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = currency switch
        {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            _ => currency + " ",
        };
        return amount.ToString("C", format);
    }

    public static string PriceRange(decimal from, decimal to) => from == to ? Money(from) : $"{Money(from)} – {Money(to)}";

    /// <summary>A date and time (shown in UTC, labelled so).</summary>
    public static string DateTime(DateTimeOffset at) => at.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d", CultureInfo.CurrentCulture);

    public static string Date(DateOnly date) => date.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>"Size M · Colour Red".</summary>
    public static string Options(IReadOnlyDictionary<string, string>? options) =>
        options is null or { Count: 0 } ? "" : string.Join(" · ", options.Select(o => $"{o.Key} {o.Value}"));

    public static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.CurrentCulture);
}
