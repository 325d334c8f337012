using ECommerce.Testing;

namespace ECommerce.IntegrationTests.Infrastructure;

/// <summary>The whole app, started once for every test class of the collection and shared.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The app is not started.");

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "Whole app";
}
