using AssistantApi.Extensions;
using AssistantApi.Plugins;
using AssistantApi.Services;
using AssistantApi.Tools;

namespace AssistantApi.Tests;

public sealed class SafetyTests
{
    [Fact]
    public void Replies_carry_no_html_and_no_script_links()
    {
        var reply = ReplySanitizer.Clean("<script>alert(1)</script> see [here](javascript:alert(1)) or [shop](/products/x) ![x](data:text/html,hi)");
        Assert.DoesNotContain("<", reply);
        Assert.DoesNotContain(">", reply);
        Assert.DoesNotContain("javascript:", reply, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", reply, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("[shop](/products/x)", reply);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("Yes please, go ahead", true)]
    [InlineData("ok", true)]
    [InlineData("no", false)]
    [InlineData("yes but don't place it yet", false)]
    [InlineData("what is the weather like in Berlin tomorrow and will it rain, yes", false)]
    public void Only_a_plain_yes_confirms(string message, bool yes) => Assert.Equal(yes, Affirmation.IsYes(message));

    [Fact]
    public void Conversation_ids_are_checked_before_they_reach_redis()
    {
        Assert.True(ConversationStore.IsValidId(ConversationStore.NewId()));
        Assert.False(ConversationStore.IsValidId("abc"));
        Assert.False(ConversationStore.IsValidId("*:conversation:" + new string('a', 17)));
    }

    [Fact]
    public void Customers_are_never_offered_admin_tools() =>
        Assert.Empty(ShopKernel.AdminTools.Intersect(ShopKernel.LookupTools.Concat(ShopKernel.CustomerTools)));

    [Fact]
    public void The_chat_connection_string_is_parsed()
    {
        var settings = OpenAiSettings.Parse("Endpoint=http://localhost:11434/v1;Key=abc;Model=llama3.1");
        Assert.Equal(new Uri("http://localhost:11434/v1"), settings.Endpoint);
        Assert.Equal("abc", settings.Key);
        Assert.Equal("llama3.1", settings.Model);
        Assert.Throws<InvalidOperationException>(() => OpenAiSettings.Parse("Key=abc;Model=x"));
    }

    [Fact]
    public void Variants_are_matched_by_colour_and_size_as_people_say_them()
    {
        CatalogVariant V(int id, string colour, string size) => new(id, $"SKU{id}", new Dictionary<string, string> { ["Colour"] = colour, ["Size"] = size }, 10m, 1);
        var variants = new[] { V(1, "Forest Green", "M"), V(2, "Forest Green", "L"), V(3, "Grey", "M") };
        Assert.Equal([1], VariantMatcher.Filter(variants, "green", "medium", out _).Select(v => v.Id));
        Assert.Equal([3], VariantMatcher.Filter(variants, "gray", "M", out _).Select(v => v.Id));
        Assert.Empty(VariantMatcher.Filter(variants, "red", null, out var note));
        Assert.Contains("Forest Green", note);
    }
}
