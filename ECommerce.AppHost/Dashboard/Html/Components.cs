using ECommerce.AppHost.Hosting.Runtime;
using ECommerce.AppHost.Telemetry;
using static ECommerce.AppHost.Dashboard.Html.HtmlBuilder;

namespace ECommerce.AppHost.Dashboard.Html;

/// <summary>Small pieces the pages share.</summary>
internal static class Components
{
    public static Markup StateBadge(ResourceState state) =>
        H($"<span class=\"badge state-{state.ToString().ToLowerInvariant()}\">{state}</span>");

    public static Markup LevelBadge(LogLevelName level) =>
        H($"<span class=\"badge level-{level.ToString().ToLowerInvariant()}\">{level}</span>");

    public static Markup ResourceChip(DashboardServices services, string resource) =>
        H($"<span class=\"chip {services.ColorClass(resource)}\">{resource}</span>");

    /// <summary>A select of a GET filter form; an empty value means "all".</summary>
    public static Markup Select(string name, string label, IEnumerable<(string Value, string Text)> options, string? selected) =>
        H($"""
          <label>{label}
            <select name="{name}" data-autosubmit>
              {Each(options, o => H($"<option value=\"{o.Value}\"{(o.Value == (selected ?? "") ? new Markup(" selected") : Markup.Empty)}>{o.Text}</option>"))}
            </select>
          </label>
          """);

    public static Markup SearchBox(string name, string placeholder, string? value) =>
        H($"<label class=\"grow\"><input type=\"search\" name=\"{name}\" value=\"{value}\" placeholder=\"{placeholder}\" autocomplete=\"off\"></label>");

    public static Markup AttributeTable(IReadOnlyList<KeyValuePair<string, string>> attributes) =>
        attributes.Count == 0
            ? H($"<p class=\"muted\">No attributes.</p>")
            : H($"""
              <table class="attributes">
                {Each(attributes, a => H($"<tr><th>{a.Key}</th><td>{a.Value}</td></tr>"))}
              </table>
              """);

    public static Markup Empty(string message) => H($"<p class=\"empty\">{message}</p>");

    /// <summary>A link with a query string built from the given pairs (empty values left out).</summary>
    public static string Url(string path, params (string Name, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}").ToList();
        return parts.Count == 0 ? path : $"{path}?{string.Join('&', parts)}";
    }
}
