using ECommerce.ServiceDefaults.Clients;
using ECommerce.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Clients;

/// <summary>
/// Aspire's Npgsql integration as the services register it: <see cref="ClientDefaults.ConfigureNpgsql"/> on the data
/// source, and the time limit <c>AddDefaultHealthChecks</c> puts on its health check.
/// </summary>
public sealed class NpgsqlClientTests
{
    /// <summary>The name Aspire.Npgsql gives the check of an unkeyed data source.</summary>
    private const string Check = "PostgreSql";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_check_recovers_by_itself_after_a_server_restart()
    {
        Assert.SkipUnless(PostgresServer.IsInstalled, "PostgreSQL 15 is not installed");
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await postgres.StartAsync();
        using var host = BuildHost(postgres.ConnectionString);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        Assert.Equal(HealthStatus.Healthy, (await HealthPolling.CheckAsync(health, Check)).Status);
        await FillPoolAsync(dataSource, connections: 5);

        // A fast shutdown ends every pooled connection: they are dead when the server is back.
        await postgres.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await HealthPolling.CheckAsync(health, Check)).Status);
        await postgres.StartAsync();

        // One failure at most (a stale connection), after which the pool gives fresh ones.
        var runs = await HealthPolling.WaitForAsync(health, Check, HealthStatus.Healthy, TimeSpan.FromSeconds(10));
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
        using var host = BuildHost(throughProxy);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await FillPoolAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), connections: 5);

        // Unlike a server shutdown, a cut connection carries no error from PostgreSQL: the pool is full of
        // dead connections that only show it when used.
        proxy.CutAll();

        var runs = await HealthPolling.WaitForAsync(health, Check, HealthStatus.Healthy, TimeSpan.FromSeconds(10));
        Assert.InRange(runs, 1, 2);
    }

    [Fact]
    public async Task DbContext_on_the_data_source_uses_its_settings_and_retries()
    {
        Assert.SkipUnless(PostgresServer.IsInstalled, "PostgreSQL 15 is not installed");
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await postgres.StartAsync();
        using var host = BuildHost(postgres.ConnectionString, builder =>
        {
            // As CatalogApi registers its context: on the data source, enriched with EF Core's retry.
            builder.Services.AddDbContext<ProbeContext>((services, options) => options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
            builder.EnrichNpgsqlDbContext<ProbeContext>(settings => settings.DisableHealthChecks = true);
        });

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        var applicationName = await db.Database.SqlQueryRaw<string>("SELECT current_setting('application_name') AS \"Value\"").SingleAsync(Cancel);

        Assert.Equal("from-data-source", applicationName);
        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Cancel);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal([Check, "self"], report.Entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Postgres_check_fails_fast_when_nothing_listens()
    {
        using var host = BuildHost($"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres");

        var entry = await HealthPolling.CheckAsync(host.Services.GetRequiredService<HealthCheckService>(), Check);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.True(entry.Duration < TimeSpan.FromSeconds(2), $"took {entry.Duration}");
    }

    [Fact]
    public async Task Postgres_check_gives_up_after_its_time_limit_when_the_server_does_not_answer()
    {
        await using var silent = new SilentServer();
        // Npgsql alone would wait for its 15 s connect timeout.
        using var host = BuildHost($"Host=127.0.0.1;Port={silent.Port};Username=postgres");

        var entry = await HealthPolling.CheckAsync(host.Services.GetRequiredService<HealthCheckService>(), Check);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.InRange(entry.Duration, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5));
        Assert.Contains(HealthTags.Ready, host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>()
            .Value.Registrations.Single(r => r.Name == Check).Tags);
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

    private static IHost BuildHost(string connectionString, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:catalogdb"] = connectionString });
        builder.AddDefaultHealthChecks();
        builder.AddNpgsqlDataSource("catalogdb", configureDataSourceBuilder: dataSource =>
        {
            ClientDefaults.ConfigureNpgsql(dataSource);
            dataSource.ConnectionStringBuilder.ApplicationName = "from-data-source";
        });
        configure?.Invoke(builder);
        return builder.Build();
    }

    private sealed class ProbeContext(DbContextOptions<ProbeContext> options) : DbContext(options);
}
