using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Replicas;

/// <summary>
/// The whole app with two replicas of each API (the AppHost's <c>--replicas 2</c>), started once for the collection,
/// and an HttpClient per replica (its own address, from Aspire's resource model) so a test can pick the replica it calls.
/// </summary>
public sealed class ReplicasFixture : IAsyncLifetime
{
    public const int Count = 2;

    public static readonly string[] Services = ["catalog-api", "ordering-api", "forecast-worker", "assistant-api"];

    private TestApp? _app;
    private readonly Dictionary<string, HttpClient[]> _clients = [];

    public TestApp App => _app ?? throw new InvalidOperationException("The app is not started.");

    /// <summary>One client per replica of <paramref name="service"/>, in a fixed order.</summary>
    public IReadOnlyList<HttpClient> Clients(string service) => _clients[service];

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(timeout: TimeSpan.FromMinutes(4), replicas: Count);
        foreach (var service in Services)
        {
            var replicas = await _app.GetReplicasAsync(service);
            Assert.Equal(Count, replicas.Count);
            _clients[service] = [.. replicas.Select(r => new HttpClient { BaseAddress = r.Endpoint, Timeout = TimeSpan.FromSeconds(30) })];
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values.SelectMany(c => c))
        {
            client.Dispose();
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>
/// An app of its own with every API as two replicas: what must hold when a load balancer spreads requests over
/// several instances (one stock, one order per key, sign-ins everywhere, background work done once).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReplicasCollection : ICollectionFixture<ReplicasFixture>
{
    public const string Name = "Replicas (own app, two of each API)";
}
