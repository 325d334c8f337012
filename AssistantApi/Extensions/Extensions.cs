using System.ClientModel;
using AssistantApi.Engines.Local;
using AssistantApi.Plugins;
using AssistantApi.Services;
using AssistantApi.Tools;
using ECommerce.ServiceDefaults.Clients;
using Microsoft.Extensions.AI;
using OpenAI;

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

        // The plugins call the shop's APIs as the caller: their bearer token (and anonymous cart id) go along.
        services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new("http://catalog-api")).AddUserTokenForwarding();
        services.AddHttpClient<OrderingClient>(c => c.BaseAddress = new("http://ordering-api")).AddUserTokenForwarding().AddCartIdForwarding();
        services.AddHttpClient<FavouritesClient>(c => c.BaseAddress = new("http://ordering-api")).AddUserTokenForwarding();
        services.AddHttpClient<ForecastClient>(c => c.BaseAddress = new("http://forecast-worker")).AddUserTokenForwarding();
        // The catalog index reads public data only: no token.
        services.AddHttpClient(CatalogIndex.HttpClientName, c => c.BaseAddress = new("http://catalog-api"));

        services.AddSingleton<CatalogIndex>();
        services.AddHostedService<CatalogIndexWarmer>();
        services.AddSingleton<ConversationStore>();
        services.AddScoped<ShopKernel>();
        services.AddScoped<AssistantAgent>();
        services.AddSingleton<ToolInvoker>();

        // The engine: an OpenAI-compatible model when ConnectionStrings:chat is set (or Assistant:Engine=openai), else our own.
        // Either way Microsoft.Extensions.AI's function invocation runs the tool loop around it.
        var chat = builder.Configuration.GetConnectionString("chat");
        var engine = builder.Configuration["Assistant:Engine"] ?? (string.IsNullOrWhiteSpace(chat) ? "local" : "openai");
        ChatClientBuilder pipeline;
        if (string.Equals(engine, "openai", StringComparison.OrdinalIgnoreCase))
        {
            var settings = OpenAiSettings.Parse(chat ?? throw new InvalidOperationException("Assistant:Engine=openai needs ConnectionStrings:chat."));
            pipeline = services.AddChatClient(_ => new OpenAI.Chat.ChatClient(settings.Model, new ApiKeyCredential(settings.Key),
                new OpenAIClientOptions { Endpoint = settings.Endpoint }).AsIChatClient());
        }
        else
        {
            // The intent model is a file shipped beside the app (see IntentClassifier), loaded at start-up (a stale one stops
            // the start) and used once, so the first shopper does not wait for ML.NET to warm up.
            var classifier = IntentClassifier.Load(Path.Combine(AppContext.BaseDirectory, IntentClassifier.ModelFileName), IntentClassifier.LoadTrainingSet());
            classifier.Predict("hello");
            services.AddSingleton(classifier);
            services.AddSingleton<LocalChatClient>();
            pipeline = services.AddChatClient(sp => sp.GetRequiredService<LocalChatClient>());
        }
        pipeline
            // What UseFunctionInvocation() adds, with our invoker (which needs the container) turning tool failures into answers.
            .Use((inner, sp) => new FunctionInvokingChatClient(inner, sp.GetService<ILoggerFactory>(), sp)
            {
                MaximumIterationsPerRequest = AssistantAgent.MaxRounds,
                AllowConcurrentInvocation = true,
                FunctionInvoker = sp.GetRequiredService<ToolInvoker>().InvokeAsync,
            })
            .UseOpenTelemetry(sourceName: AssistantAgent.ActivitySource.Name);
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

/// <summary>
/// <c>ConnectionStrings:chat</c> = <c>Endpoint=https://...;Key=...;Model=...</c>: any OpenAI-compatible server
/// (OpenAI, Azure OpenAI's v1 endpoint, Ollama, vLLM, llama.cpp server).
/// </summary>
public sealed record OpenAiSettings(Uri Endpoint, string Key, string Model)
{
    public static OpenAiSettings Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException("ConnectionStrings:chat needs Endpoint=<absolute URL>.");
        }
        if (!parts.TryGetValue("Model", out var model) || model.Length == 0)
        {
            throw new InvalidOperationException("ConnectionStrings:chat needs Model=<model name>.");
        }
        // Local servers (Ollama, llama.cpp) take any key.
        return new OpenAiSettings(uri, parts.GetValueOrDefault("Key") is { Length: > 0 } key ? key : "none", model);
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
