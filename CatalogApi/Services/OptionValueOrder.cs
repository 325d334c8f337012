using System.Globalization;

namespace CatalogApi.Services;

/// <summary>
/// The order option values are shown in across products: clothing sizes as worn (XS, S, S/M, M, ... XXL), values
/// that start with a number by that number (shoe size 38 before 40, 0.5 L before 1 L, 156 cm before 163 cm),
/// anything else alphabetically.
/// </summary>
public sealed class OptionValueOrder : IComparer<string>
{
    public static readonly OptionValueOrder Instance = new();

    private static readonly string[] Sizes = ["XXS", "XS", "XS/S", "S", "S/M", "M", "M/L", "L", "L/XL", "XL", "XXL", "3XL"];

    public int Compare(string? x, string? y)
    {
        var (groupX, numberX) = Rank(x ?? "");
        var (groupY, numberY) = Rank(y ?? "");
        return groupX != groupY ? groupX.CompareTo(groupY)
            : numberX != numberY ? numberX.CompareTo(numberY)
            : StringComparer.OrdinalIgnoreCase.Compare(x, y);
    }

    private static (int Group, double Number) Rank(string value)
    {
        var size = Array.FindIndex(Sizes, s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase));
        if (size >= 0)
        {
            return (0, size);
        }
        var length = 0;
        while (length < value.Length && (char.IsDigit(value[length]) || value[length] == '.'))
        {
            length++;
        }
        return length > 0 && double.TryParse(value.AsSpan(0, length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? (1, number)
            : (2, 0);
    }
}
