using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;

namespace Storefront.Services;

/// <summary>
/// The assistant's reply as the chat panel shows it: HTML-encoded first (nothing in a reply can become markup), then
/// the little Markdown replies use: <c>**bold**</c>, <c>*italic*</c> and <c>`code`</c>. Line breaks stay (CSS pre-wrap).
/// </summary>
public static partial class ChatText
{
    public static MarkupString ToMarkup(string text)
    {
        var html = WebUtility.HtmlEncode(text);
        html = Bold().Replace(html, "<strong>$1</strong>");
        html = Italic().Replace(html, "<em>$1</em>");
        html = Code().Replace(html, "<code>$1</code>");
        return new MarkupString(html);
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![\*\w])\*(?!\s)([^*\n]+?)\*(?![\*\w])")]
    private static partial Regex Italic();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex Code();
}
