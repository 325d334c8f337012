using AssistantApi.Engines.Local;
using AssistantApi.Engines.OpenAi;
using AssistantApi.Services;
using AssistantApi.Tools;
using ECommerce.ServiceDefaults.Clients;
using Microsoft.Extensions.AI;

namespace AssistantApi.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Validates the bearer tokens OrderingApi issues; endpoints need a signed-in user unless they say otherwise.
        builder.AddDefaultAuthentication();
        builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis);

        var services = builder.Services;
        services.AddOptions<AssistantOptions>().BindConfiguration(AssistantOptions.SectionName);
        services.TryAddSingletonTimeProvider();

        // The tools call the shop's APIs as the caller: their bearer token (and anonymous cart id) go along.
        services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new("http://catalog-api")).AddUserTokenForwarding();
        services.AddHttpClient<OrderingClient>(c => c.BaseAddress = new("http://ordering-api")).AddUserTokenForwarding().AddCartIdForwarding();
        services.AddHttpClient<ForecastClient>(c => c.BaseAddress = new("http://forecast-worker")).AddUserTokenForwarding();
        // The catalog index reads public data only: no token.
        services.AddHttpClient(CatalogIndex.HttpClientName, c => c.BaseAddress = new("http://catalog-api"));

        services.AddSingleton<CatalogIndex>();
        services.AddHostedService<CatalogIndexWarmer>();
        services.AddSingleton<ConversationStore>();
        services.AddTransient<AssistantTools>();
        services.AddTransient<AssistantAgent>();

        // The engine: an OpenAI-compatible model when ConnectionStrings:chat is set (or Assistant:Engine=openai), else our own.
        var chat = builder.Configuration.GetConnectionString("chat");
        var engine = builder.Configuration["Assistant:Engine"] ?? (string.IsNullOrWhiteSpace(chat) ? "local" : "openai");
        if (string.Equals(engine, "openai", StringComparison.OrdinalIgnoreCase))
        {
            var settings = OpenAiSettings.Parse(chat ?? throw new InvalidOperationException("Assistant:Engine=openai needs ConnectionStrings:chat."));
            services.AddSingleton(settings);
            services.AddSingleton<IChatClient, OpenAiChatClient>();
        }
        else
        {
            // Trained once at start-up on our own labelled utterances (a few milliseconds).
            services.AddSingleton(_ => IntentClassifier.Train(IntentClassifier.LoadTrainingSet()));
            services.AddSingleton<LocalChatClient>();
            services.AddSingleton<IChatClient>(sp => sp.GetRequiredService<LocalChatClient>());
        }
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>Passes the caller's anonymous cart id (X-Cart-Id) on, so their cart is the one the tools read and fill.</summary>
    private static IHttpClientBuilder AddCartIdForwarding(this IHttpClientBuilder builder)
    {
        builder.Services.AddTransient<CartIdForwardingHandler>();
        return builder.AddHttpMessageHandler<CartIdForwardingHandler>();
    }
}

internal sealed class CartIdForwardingHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    public const string Header = "X-Cart-Id";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains(Header)
            && accessor.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } value
            && Guid.TryParse(value, out var cartId))
        {
            request.Headers.Add(Header, cartId.ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}
