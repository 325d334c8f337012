namespace Storefront.Services;

/// <summary>
/// Base of the typed HttpClients of the backend services. Each is registered with the base address
/// <c>http://{service name}</c> (see <c>AddApplicationServices</c>); the shop pages add their calls to the subclasses.
/// </summary>
public abstract class BackendClient(HttpClient http)
{
    protected HttpClient Http { get; } = http;

    /// <summary>The service name the client is addressed by, e.g. <c>catalog-api</c>: the host of its base address.</summary>
    public string ServiceName => Http.BaseAddress?.Host
        ?? throw new InvalidOperationException($"{GetType().Name} is registered without a base address.");

    /// <summary>Asks the service whether its process is up (<c>GET /alive</c>, every service maps it).</summary>
    public Task<HttpResponseMessage> GetAliveAsync(CancellationToken cancellationToken) =>
        Http.GetAsync("/alive", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}

/// <summary>CatalogApi: products, categories, brands, stock and reservations.</summary>
public sealed class CatalogClient(HttpClient http) : BackendClient(http);

/// <summary>OrderingApi: identity, cart, checkout and orders.</summary>
public sealed class OrderingClient(HttpClient http) : BackendClient(http);

/// <summary>ForecastWorker: demand forecasts and reorder suggestions.</summary>
public sealed class ForecastClient(HttpClient http) : BackendClient(http);

/// <summary>AssistantApi: the chat assistant.</summary>
public sealed class AssistantClient(HttpClient http) : BackendClient(http);
