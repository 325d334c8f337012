using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Clients;

public sealed class NpgsqlClientTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_check_recovers_by_itself_after_a_server_restart()
    {
        Assert.SkipUnless(PostgresServer.IsInstalled, "PostgreSQL 15 is not installed");
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await postgres.StartAsync();
        using var host = BuildHost(postgres.ConnectionString, builder => builder.AddNpgsqlDataSource("catalogdb"));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        Assert.Equal(HealthStatus.Healthy, (await HealthPolling.CheckAsync(health, "catalogdb")).Status);
        await FillPoolAsync(dataSource, connections: 5);

        // A fast shutdown ends every pooled connection: they are dead when the server is back.
        await postgres.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await HealthPolling.CheckAsync(health, "catalogdb")).Status);
        await postgres.StartAsync();

        // One failure at most (a stale connection), after which the cleared pool gives fresh ones.
        var runs = await HealthPolling.WaitForAsync(health, "catalogdb", HealthStatus.Healthy, TimeSpan.FromSeconds(10));
        Assert.InRange(runs, 1, 2);
        await using var command = dataSource.CreateCommand("SELECT 40 + 2");
        Assert.Equal(42, await command.ExecuteScalarAsync(Cancel));
    }

    [Fact]
    public async Task Postgres_check_recovers_when_pooled_connections_are_cut()
    {
        Assert.SkipUnless(PostgresServer.IsInstalled, "PostgreSQL 15 is not installed");
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await postgres.StartAsync();
        await using var proxy = new TcpProxy(postgres.Port);
        var throughProxy = postgres.ConnectionString.Replace($"Port={postgres.Port}", $"Port={proxy.Port}");
        using var host = BuildHost(throughProxy, builder => builder.AddNpgsqlDataSource("catalogdb"));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await FillPoolAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), connections: 5);

        // Unlike a server shutdown, a cut connection carries no error from PostgreSQL: the pool is full of
        // dead connections that only show it when used.
        proxy.CutAll();

        var runs = await HealthPolling.WaitForAsync(health, "catalogdb", HealthStatus.Healthy, TimeSpan.FromSeconds(10));
        Assert.InRange(runs, 1, 2);
    }

    [Fact]
    public async Task DbContext_uses_the_connection_data_source_and_gets_its_health_check()
    {
        Assert.SkipUnless(PostgresServer.IsInstalled, "PostgreSQL 15 is not installed");
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await postgres.StartAsync();
        using var host = BuildHost(postgres.ConnectionString, builder =>
        {
            builder.AddNpgsqlDataSource("catalogdb", dataSource => dataSource.ConnectionStringBuilder.ApplicationName = "from-data-source");
            builder.AddNpgsqlDbContext<ProbeContext>("catalogdb");
        });

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        var applicationName = await db.Database.SqlQueryRaw<string>("SELECT current_setting('application_name') AS \"Value\"").SingleAsync(Cancel);

        Assert.Equal("from-data-source", applicationName);
        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Cancel);
        Assert.Equal(HealthStatus.Healthy, Assert.Single(report.Entries, entry => entry.Key == "catalogdb").Value.Status);
    }

    [Fact]
    public async Task Postgres_check_fails_fast_when_nothing_listens()
    {
        using var host = BuildHost($"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres", builder => builder.AddNpgsqlDataSource("db"));

        var entry = await HealthPolling.CheckAsync(host.Services.GetRequiredService<HealthCheckService>(), "db");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.True(entry.Duration < TimeSpan.FromSeconds(5), $"took {entry.Duration}");
    }

    private static async Task FillPoolAsync(NpgsqlDataSource dataSource, int connections)
    {
        var open = new List<NpgsqlConnection>();
        for (var i = 0; i < connections; i++)
        {
            open.Add(await dataSource.OpenConnectionAsync(Cancel));
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }
    }

    private static IHost BuildHost(string connectionString, Action<IHostApplicationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:catalogdb"] = connectionString,
            ["ConnectionStrings:db"] = connectionString,
        });
        configure(builder);
        return builder.Build();
    }

    private sealed class ProbeContext(DbContextOptions<ProbeContext> options) : DbContext(options);
}
