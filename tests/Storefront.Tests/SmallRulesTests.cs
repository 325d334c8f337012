using System.Globalization;
using System.Text;
using Storefront.Auth;
using Storefront.Services;

namespace Storefront.Tests;

public class ReturnUrlRulesTests
{
    [Theory]
    [InlineData("/cart", "/cart")]
    [InlineData("/orders/12?placed=1", "/orders/12?placed=1")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("/account/logout", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void Only_paths_of_this_shop_are_followed_after_signing_in(string? returnUrl, string expected) =>
        Assert.Equal(expected, ReturnUrlRules.Safe(returnUrl));
}

public class ProductOptionsTextTests
{
    [Fact]
    public void Every_combination_of_the_options_becomes_a_variant()
    {
        var options = ProductOptionsText.Parse("Size: S, M, L\nColour: Forest Green, Red\n\nnonsense line");

        var variants = ProductOptionsText.Combine(options, "tx-01", 49.5m, 3);

        Assert.Equal(["Size", "Colour"], options.Select(o => o.Name));
        Assert.Equal(6, variants.Count);
        Assert.Contains(variants, v => v.Sku == "TX-01-M-FORESTGREEN" && v.Options["Size"] == "M" && v.Options["Colour"] == "Forest Green");
        Assert.All(variants, v => Assert.Equal((49.5m, 3), (v.Price, v.OnHand)));
    }

    [Fact]
    public void No_options_make_one_variant()
    {
        var variants = ProductOptionsText.Combine(ProductOptionsText.Parse(""), "", 10m, 1);

        Assert.Equal("SKU", Assert.Single(variants).Sku);
    }
}

public class ChatTextTests
{
    [Fact]
    public void Reply_markdown_becomes_markup_and_html_in_a_reply_stays_text()
    {
        var markup = ChatText.ToMarkup("**Tent** <script>alert(1)</script> costs *only* `€99`").Value;

        Assert.Equal("<strong>Tent</strong> &lt;script&gt;alert(1)&lt;/script&gt; costs <em>only</em> <code>€99</code>", markup);
    }
}

public class SseReaderTests
{
    [Fact]
    public async Task Reads_named_events_with_multi_line_data()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("event: delta\ndata: {\"text\":\"Hi\"}\n\nevent: done\ndata: {\"a\":\ndata: 1}\n\n: comment\n"));

        var events = new List<(string, string)>();
        await foreach (var item in SseReader.ReadAsync(stream, TestContext.Current.CancellationToken))
        {
            events.Add(item);
        }

        Assert.Equal([("delta", "{\"text\":\"Hi\"}"), ("done", "{\"a\":\n1}")], events);
    }
}

public class FormatTests
{
    [Fact]
    public void Money_is_written_the_way_the_shoppers_culture_writes_it()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-GB");
            Assert.Equal("€1,234.50", Format.Money(1234.5m));
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("1.234,50 €", Format.Money(1234.5m));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Options_read_as_name_and_value()
    {
        Assert.Equal("Size M · Colour Red", Format.Options(new Dictionary<string, string> { ["Size"] = "M", ["Colour"] = "Red" }));
        Assert.Equal("", Format.Options(null));
    }
}
