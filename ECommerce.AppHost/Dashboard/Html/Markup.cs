using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ECommerce.AppHost.Dashboard.Html;

/// <summary>HTML the dashboard built itself, inserted as is. Any other value put in a page is encoded.</summary>
public readonly record struct Markup(string Value)
{
    public static readonly Markup Empty = new("");

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public override string ToString() => Value;
}

/// <summary>
/// Builds HTML from an interpolated string: the literal parts are the template, every hole is
/// HTML-encoded unless it is <see cref="Markup"/>. <c>H($"&lt;td&gt;{name}&lt;/td&gt;")</c> cannot inject markup.
/// </summary>
[InterpolatedStringHandler]
public ref struct HtmlInterpolatedStringHandler
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount) =>
        _builder = new StringBuilder(literalLength + formattedCount * 16);

    public readonly void AppendLiteral(string value) => _builder.Append(value);

    public readonly void AppendFormatted(Markup value) => _builder.Append(value.Value);

    public readonly void AppendFormatted(string? value) => Encode(value);

    public readonly void AppendFormatted<T>(T value)
    {
        if (value is IEnumerable<Markup>)
        {
            throw new InvalidOperationException("Join a list of markup with Markup.Join before putting it in a page.");
        }
        Encode(value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());
    }

    public readonly void AppendFormatted<T>(T value, string? format) where T : IFormattable =>
        Encode(value.ToString(format, CultureInfo.InvariantCulture));

    internal readonly string Build() => _builder.ToString();

    private readonly void Encode(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            _builder.Append(Encoder.Encode(text));
        }
    }
}

public static class HtmlBuilder
{
    /// <summary>Safe HTML from an interpolated string (see <see cref="HtmlInterpolatedStringHandler"/>).</summary>
    public static Markup H(ref HtmlInterpolatedStringHandler html) => new(html.Build());

    /// <summary>Markup for each item, joined.</summary>
    public static Markup Each<T>(IEnumerable<T> items, Func<T, Markup> render) => Markup.Join(items.Select(render));

    public static Markup If(bool condition, Markup markup) => condition ? markup : Markup.Empty;
}
