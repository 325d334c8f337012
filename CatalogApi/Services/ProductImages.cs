using System.Globalization;
using System.Security;
using System.Text;
using CatalogApi.Infrastructure.Seed;

namespace CatalogApi.Services;

/// <summary>
/// Product pictures drawn as SVG: a silhouette of the kind of product (a tent, a boot, a bike, ...) in the
/// variant's colour, on a tinted card with the brand and name. Generated here, never downloaded, always the same
/// for the same product and colour.
/// </summary>
public static class ProductImages
{
    public const string DefaultKey = "default";

    private static readonly Dictionary<string, string> Colours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["black"] = "#24272b", ["charcoal"] = "#3f4549", ["grey"] = "#8a9096", ["white"] = "#f4f4f0",
        ["navy"] = "#1f3558", ["blue"] = "#2f6fc9", ["sky-blue"] = "#6fb6e8", ["teal"] = "#1f8f8a",
        ["forest-green"] = "#2f5d3a", ["olive"] = "#6b6f34", ["sage"] = "#9caf88", ["red"] = "#c8372d",
        ["burgundy"] = "#7a1f33", ["orange"] = "#ea7a1f", ["yellow"] = "#f2c230", ["sand"] = "#cdb58a",
        ["brown"] = "#7b5234", ["purple"] = "#6a4c9c", ["pink"] = "#e58fb5", ["coral"] = "#f07a63",
    };

    private static readonly Dictionary<string, string> ShapesByCategory =
        SeedCatalogData.Kinds.ToDictionary(k => k.Category, k => k.Shape, StringComparer.Ordinal);

    /// <summary>The key of a colour's image ("Forest Green" is <c>forest-green</c>).</summary>
    public static string KeyOf(string colour) => Slug.From(colour);

    /// <summary>The shape for a category (or its nearest ancestor that has one).</summary>
    public static string ShapeFor(IEnumerable<string> categoryPathSlugs) =>
        categoryPathSlugs.Reverse().Select(slug => ShapesByCategory.GetValueOrDefault(slug)).FirstOrDefault(s => s is not null) ?? "tag";

    public static string Render(string shape, string key, string brand, string name)
    {
        var fill = Colours.GetValueOrDefault(key) ?? ColourFromText(name);
        var dark = Shade(fill, -0.35);
        var background = Shade(fill, 0.82);
        var svg = new StringBuilder(2048);
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"600\" viewBox=\"0 0 600 600\" role=\"img\" aria-label=\"")
           .Append(Escape($"{name} ({key})")).Append("\">");
        svg.Append("<defs><linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">")
           .Append("<stop offset=\"0\" stop-color=\"").Append(background).Append("\"/>")
           .Append("<stop offset=\"1\" stop-color=\"").Append(Shade(background, -0.08)).Append("\"/></linearGradient></defs>");
        svg.Append("<rect width=\"600\" height=\"600\" rx=\"24\" fill=\"url(#bg)\"/>");
        svg.Append("<ellipse cx=\"300\" cy=\"470\" rx=\"190\" ry=\"18\" fill=\"#000\" opacity=\".08\"/>");
        svg.Append("<g fill=\"").Append(fill).Append("\" stroke=\"").Append(dark).Append("\" stroke-width=\"6\" stroke-linejoin=\"round\" stroke-linecap=\"round\">");
        svg.Append(Shape(shape, fill, dark));
        svg.Append("</g>");
        svg.Append("<text x=\"300\" y=\"526\" text-anchor=\"middle\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"20\" letter-spacing=\"3\" fill=\"#50565c\">")
           .Append(Escape(brand.ToUpperInvariant())).Append("</text>");
        svg.Append("<text x=\"300\" y=\"560\" text-anchor=\"middle\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"24\" font-weight=\"bold\" fill=\"#262a2e\">")
           .Append(Escape(Shorten(name.StartsWith(brand, StringComparison.Ordinal) ? name[brand.Length..].Trim() : name, 38))).Append("</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Shape(string shape, string fill, string dark) => shape switch
    {
        "tent" => $"""<path d="M100 440 L300 130 L500 440 Z"/><path d="M300 130 L300 440" fill="none"/><path d="M255 440 L300 320 L345 440 Z" fill="{dark}"/><path d="M80 444 H520" fill="none"/>""",
        "sleeping-bag" => $"""<path d="M215 150 Q300 95 385 150 L420 440 Q300 490 180 440 Z"/><ellipse cx="300" cy="170" rx="55" ry="38" fill="{dark}"/><path d="M360 200 L390 430" fill="none" stroke-dasharray="10 10"/>""",
        "mat" or "yoga-mat" => $"""<rect x="120" y="240" width="330" height="130" rx="20"/><ellipse cx="450" cy="305" rx="45" ry="65"/><ellipse cx="450" cy="305" rx="25" ry="38" fill="{dark}"/><ellipse cx="450" cy="305" rx="9" ry="14" fill="{fill}"/>""",
        "backpack" => $"""<rect x="195" y="150" width="210" height="300" rx="70"/><rect x="215" y="115" width="170" height="80" rx="38"/><rect x="232" y="300" width="136" height="110" rx="28" fill="{dark}"/><path d="M250 200 H350" fill="none"/><path d="M300 112 Q300 80 330 80" fill="none"/>""",
        "stove" => $"""<rect x="170" y="230" width="260" height="180" rx="24"/><ellipse cx="300" cy="230" rx="140" ry="26" fill="{dark}"/><rect x="285" y="180" width="30" height="28" rx="8"/><path d="M430 270 Q500 270 500 320" fill="none"/><path d="M200 440 H400" fill="none"/>""",
        "lamp" or "bike-light" => $"""<path d="M120 300 Q300 170 480 300" fill="none" stroke-width="22"/><rect x="220" y="240" width="160" height="120" rx="30"/><circle cx="300" cy="300" r="40" fill="#fff8d8"/><path d="M300 390 V440 M250 380 L225 425 M350 380 L375 425" fill="none"/>""",
        "bottle" => $"""<rect x="245" y="110" width="110" height="60" rx="18" fill="{dark}"/><path d="M255 170 H345 L380 230 V450 Q380 470 360 470 H240 Q220 470 220 450 V230 Z"/><rect x="220" y="290" width="160" height="70" fill="{dark}" opacity=".35"/>""",
        "boot" => $"""<path d="M205 130 H330 L340 320 Q440 330 480 380 V420 H160 V370 Q200 340 205 300 Z"/><rect x="150" y="420" width="340" height="34" rx="12" fill="{dark}"/><path d="M250 170 H310 M250 210 H312 M250 250 H315" fill="none" stroke="#fff" stroke-width="5"/>""",
        "shoe" or "climbing-shoe" => $"""<path d="M120 380 Q180 280 280 290 Q340 250 395 300 Q475 320 485 380 V405 H120 Z"/><path d="M115 405 H490 Q490 440 450 440 H150 Q115 440 115 405 Z" fill="{dark}"/><path d="M250 300 L300 350 M280 290 L330 340 M310 282 L355 330" fill="none" stroke="#fff" stroke-width="5"/>""",
        "sandal" => $"""<path d="M120 400 Q120 350 200 350 H440 Q490 350 490 400 Q490 430 440 430 H170 Q120 430 120 400 Z" fill="{dark}"/><path d="M220 350 Q260 260 300 350 M330 350 Q380 270 420 350" fill="none" stroke-width="20"/>""",
        "jacket" => $"""<path d="M235 130 Q300 95 365 130 L450 185 L505 400 L450 415 L420 270 V470 H180 V270 L150 415 L95 400 L150 185 Z"/><path d="M235 130 Q300 200 365 130" fill="{dark}"/><path d="M300 170 V470" fill="none" stroke="#fff" stroke-width="4"/><path d="M205 330 H260 M340 330 H395" fill="none"/>""",
        "shirt" => $"""<path d="M240 130 Q300 165 360 130 L455 175 L495 270 L430 295 L415 260 V470 H185 V260 L170 295 L105 270 L145 175 Z"/><path d="M240 130 Q300 175 360 130" fill="none" stroke="{dark}" stroke-width="10"/>""",
        "trousers" => """<path d="M205 120 H395 L430 470 H330 L300 235 L270 470 H170 Z"/><path d="M205 155 H395" fill="none"/><path d="M300 155 V235" fill="none"/>""",
        "hat" => $"""<path d="M160 380 Q160 180 300 180 Q440 180 440 380 Z"/><rect x="150" y="360" width="300" height="70" rx="20" fill="{dark}"/><circle cx="300" cy="165" r="32"/>""",
        "sock" => $"""<path d="M230 110 H360 V330 Q360 360 390 370 L450 390 Q490 405 480 445 Q470 480 430 470 L280 430 Q230 415 230 360 Z"/><rect x="230" y="110" width="130" height="45" fill="{dark}"/>""",
        "bike" => $"""<g fill="none" stroke-width="14"><circle cx="170" cy="380" r="85"/><circle cx="430" cy="380" r="85"/><path d="M170 380 L255 250 H400 L430 380 M255 250 L310 380 L400 250 M310 380 H170" stroke="{fill}"/><path d="M240 230 H285 M400 250 L390 205 L425 200"/></g>""",
        "helmet" => $"""<path d="M130 380 Q130 170 300 170 Q470 170 470 380 Z"/><path d="M210 230 L235 300 M300 195 V290 M390 230 L365 300" stroke="{dark}" stroke-width="16"/><path d="M130 380 H470 L450 410 H150 Z" fill="{dark}"/>""",
        "harness" => """<g fill="none" stroke-width="22"><ellipse cx="300" cy="210" rx="160" ry="60"/><ellipse cx="225" cy="360" rx="70" ry="90"/><ellipse cx="375" cy="360" rx="70" ry="90"/></g><rect x="280" y="250" width="40" height="70" rx="10"/>""",
        "rope" => """<g fill="none" stroke-width="16"><ellipse cx="300" cy="300" rx="190" ry="150"/><ellipse cx="300" cy="300" rx="150" ry="115"/><ellipse cx="300" cy="300" rx="110" ry="82"/></g><path d="M300 450 Q340 490 400 470" fill="none" stroke-width="16"/>""",
        "carabiner" => $"""<path d="M240 150 H330 Q420 150 420 260 V360 Q420 460 320 460 H260 Q180 460 180 380 V220 Q180 150 240 150 Z" fill="none" stroke="{fill}" stroke-width="34"/><path d="M180 230 L180 380" fill="none" stroke="{dark}" stroke-width="14"/>""",
        "kayak" => $"""<path d="M70 330 Q300 200 530 330 Q300 400 70 330 Z"/><ellipse cx="300" cy="305" rx="70" ry="26" fill="{dark}"/><path d="M150 180 L450 440" fill="none" stroke="{dark}" stroke-width="12"/><ellipse cx="150" cy="180" rx="16" ry="34" transform="rotate(-40 150 180)" fill="{dark}"/><ellipse cx="450" cy="440" rx="16" ry="34" transform="rotate(-40 450 440)" fill="{dark}"/>""",
        "wetsuit" => $"""<path d="M250 110 H350 L430 160 L470 330 L430 340 L395 220 L400 470 H320 L300 320 L280 470 H200 L205 220 L170 340 L130 330 L170 160 Z"/><path d="M300 115 V300" fill="none" stroke="{dark}" stroke-width="10"/>""",
        "swimsuit" => $"""<path d="M230 110 L260 110 Q300 210 340 110 L370 110 Q380 230 400 300 Q360 420 300 430 Q240 420 200 300 Q220 230 230 110 Z"/><path d="M230 330 Q300 380 370 330" fill="none" stroke="{dark}"/>""",
        "ski" => $"""<g transform="rotate(-12 300 300)"><path d="M235 470 V150 Q235 95 262 85 Q290 95 290 150 V470 Z"/><path d="M315 470 V150 Q315 95 342 85 Q370 95 370 150 V470 Z"/><rect x="228" y="280" width="70" height="40" rx="8" fill="{dark}"/><rect x="308" y="280" width="70" height="40" rx="8" fill="{dark}"/></g>""",
        "snowboard" => $"""<g transform="rotate(-20 300 300)"><rect x="235" y="70" width="130" height="460" rx="65"/><rect x="245" y="190" width="110" height="45" rx="12" fill="{dark}"/><rect x="245" y="360" width="110" height="45" rx="12" fill="{dark}"/></g>""",
        "goggles" => $"""<path d="M90 300 H510" fill="none" stroke="{dark}" stroke-width="26"/><rect x="140" y="210" width="320" height="170" rx="80"/><rect x="165" y="232" width="270" height="126" rx="60" fill="{dark}"/><path d="M195 255 Q240 240 270 262" fill="none" stroke="#fff" stroke-width="6" opacity=".7"/>""",
        "dumbbell" => $"""<rect x="200" y="285" width="200" height="30" rx="10" fill="{dark}"/><path d="M120 220 L170 200 L220 220 V380 L170 400 L120 380 Z"/><path d="M380 220 L430 200 L480 220 V380 L430 400 L380 380 Z"/>""",
        "ball" => $"""<circle cx="300" cy="300" r="165"/><path d="M300 235 L360 280 L338 350 H262 L240 280 Z" fill="{dark}"/><path d="M300 235 V150 M360 280 L440 255 M338 350 L385 425 M262 350 L215 425 M240 280 L160 255" fill="none"/>""",
        "basketball" => """<circle cx="300" cy="300" r="165"/><g fill="none"><path d="M135 300 H465 M300 135 V465"/><path d="M185 180 Q260 300 185 420 M415 180 Q340 300 415 420"/></g>""",
        "racket" => $"""<ellipse cx="300" cy="220" rx="120" ry="150" fill="none" stroke="{fill}" stroke-width="22"/><g stroke="{dark}" stroke-width="3" fill="none"><path d="M240 95 V345 M270 78 V365 M300 72 V370 M330 78 V365 M360 95 V345 M190 160 H410 M180 200 H420 M180 240 H420 M190 280 H410 M210 320 H390"/></g><path d="M300 370 V480" stroke-width="26"/>""",
        _ => $"""<path d="M150 200 L300 140 L450 200 V420 H150 Z"/><circle cx="300" cy="220" r="22" fill="{dark}"/>""",
    };

    private static string ColourFromText(string text)
    {
        var palette = Colours.Values.ToArray();
        var hash = text.Aggregate(17, (h, c) => unchecked(h * 31 + c));
        return palette[(hash & int.MaxValue) % palette.Length];
    }

    /// <summary>Mixes the colour with white (amount &gt; 0) or black (amount &lt; 0).</summary>
    private static string Shade(string hex, double amount)
    {
        var rgb = Enumerable.Range(0, 3).Select(i => int.Parse(hex.AsSpan(1 + 2 * i, 2), NumberStyles.HexNumber)).ToArray();
        var shaded = rgb.Select(c => amount >= 0 ? c + (255 - c) * amount : c * (1 + amount)).Select(c => (int)Math.Round(Math.Clamp(c, 0, 255)));
        return "#" + string.Concat(shaded.Select(c => c.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
