using AssistantApi.Model;
using AssistantApi.Plugins;
using AssistantApi.Services;
using AssistantApi.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AssistantApi.Tests;

/// <summary>The Semantic Kernel plugins each kind of caller gets, and what the model reads about them.</summary>
public sealed class PluginTests : IDisposable
{
    private readonly ServiceProvider _services;

    public PluginTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new("http://catalog-api"));
        services.AddHttpClient<OrderingClient>(c => c.BaseAddress = new("http://ordering-api"));
        services.AddHttpClient<FavouritesClient>(c => c.BaseAddress = new("http://ordering-api"));
        services.AddHttpClient<ForecastClient>(c => c.BaseAddress = new("http://forecast-worker"));
        services.AddSingleton<CatalogIndex>();
        services.AddScoped<ShopKernel>();
        _services = services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(CallerKind.Anonymous)]
    [InlineData(CallerKind.Customer)]
    [InlineData(CallerKind.Admin)]
    public void Each_caller_gets_exactly_the_tools_of_its_kind(CallerKind caller)
    {
        var kernel = Kernel(caller);
        var expected = ShopKernel.LookupTools
            .Concat(caller is CallerKind.Anonymous ? [] : ShopKernel.CustomerTools)
            .Concat(caller is CallerKind.Admin ? ShopKernel.AdminTools : []);
        Assert.Equal(expected.Order(), ShopKernel.Tools(kernel).Select(ShopKernel.NameOf).Order());
    }

    [Fact]
    public void The_tools_are_grouped_in_plugins_by_what_they_touch()
    {
        var kernel = Kernel(CallerKind.Admin);
        Assert.Equal([ShopKernel.Catalog, ShopKernel.StorePolicies, ShopKernel.Specs, ShopKernel.Reviews, ShopKernel.CartAndOrders, ShopKernel.Favourites, ShopKernel.Forecasts], kernel.Plugins.Select(p => p.Name));
        Assert.Equal(["get_demand_forecast", "get_reorder_suggestions"], kernel.Plugins[ShopKernel.Forecasts].Select(f => f.Name).Order());
        Assert.Equal(["compare_products", "search_by_specs"], kernel.Plugins[ShopKernel.Specs].Select(f => f.Name).Order());
        Assert.Contains(ShopKernel.Tools(kernel), t => t.Name == "Catalog_search_products");
        Assert.Equal(["get_product_reviews"], kernel.Plugins[ShopKernel.Reviews].Select(f => f.Name));
    }

    [Fact]
    public void Every_tool_and_parameter_is_described_for_the_model()
    {
        foreach (var function in Kernel(CallerKind.Admin).Plugins.SelectMany(p => p))
        {
            Assert.False(string.IsNullOrWhiteSpace(function.Description), function.Name);
            Assert.All(function.Metadata.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{function.Name}.{p.Name}"));
        }
    }

    private Kernel Kernel(CallerKind caller)
    {
        var scope = _services.CreateScope();
        var turn = new TurnContext(caller, new Conversation { Id = ConversationStore.NewId() }, false);
        return scope.ServiceProvider.GetRequiredService<ShopKernel>().For(turn);
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>The quotes the reviews tool picks and how it shortens them.</summary>
public sealed class ReviewQuoteTests
{
    private static AssistantApi.Tools.ShopReview Review(long id, int rating, string body, int helpful) =>
        new(id, "Alex W.", rating, $"Title {id}", body, DateTimeOffset.UnixEpoch, helpful);

    [Fact]
    public void Praise_and_criticism_are_both_quoted_most_helpful_first()
    {
        var quotes = AssistantApi.Plugins.ReviewsPlugin.Quotes([Review(1, 5, "Great", 9), Review(2, 4, "Good", 7), Review(3, 3, "Fine", 5), Review(4, 1, "Broke", 1)]);
        Assert.Equal(["Great", "Broke", "Good"], quotes.Select(q => q.Text));
    }

    [Fact]
    public void Long_texts_are_cut_at_a_word_and_titles_stand_in_for_empty_bodies()
    {
        var longText = string.Join(' ', Enumerable.Repeat("lovely", 40));
        var quote = Assert.Single(AssistantApi.Plugins.ReviewsPlugin.Quotes([Review(1, 5, longText, 0)]));
        Assert.True(quote.Text.Length <= AssistantApi.Plugins.ReviewsPlugin.QuoteLength);
        Assert.EndsWith("lovely…", quote.Text);
        Assert.Equal("Title 2", Assert.Single(AssistantApi.Plugins.ReviewsPlugin.Quotes([Review(2, 4, "", 0)])).Text);
    }
}
