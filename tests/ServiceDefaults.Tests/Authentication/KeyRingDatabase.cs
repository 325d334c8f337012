using Npgsql;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Authentication;

/// <summary>One throw-away PostgreSQL for the class; each test gets a database of its own for its key ring.</summary>
public sealed class KeyRingDatabase : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databases;

    public async ValueTask InitializeAsync()
    {
        if (!PostgresServer.IsInstalled)
        {
            return;
        }
        _server = new PostgresServer();
        await _server.InitializeAsync();
        await _server.StartAsync();
    }

    /// <summary>The connection string of a new, empty database.</summary>
    public async Task<string> CreateAsync()
    {
        Assert.SkipUnless(_server is not null, "PostgreSQL 15 is not installed");
        var name = $"keyring{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return _server.ConnectionString.Replace("Database=postgres", $"Database={name}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
