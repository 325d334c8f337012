using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Authentication;

/// <summary>AddDefaultAuthentication on real Kestrel apps sharing a key ring in a real PostgreSQL.</summary>
public sealed class SharedAuthenticationTests(KeyRingDatabase keyRing) : IClassFixture<KeyRingDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Services_starting_together_agree_on_one_key_and_accept_each_others_tokens()
    {
        var database = await keyRing.CreateAsync();

        // Three "services" start at the same moment on an empty key ring.
        var apps = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => StartServiceAsync(database), Cancel)));
        try
        {
            Assert.Equal(1L, await CountKeysAsync(database));
            var token = TestTokens.Issue(apps[0].Services, TestTokens.User("u1", AppRoles.Customer));
            foreach (var app in apps)
            {
                var caller = await GetCallerAsync(app, token);
                Assert.Equal("user", caller.GetProperty("kind").GetString());
                Assert.Equal("u1", caller.GetProperty("id").GetString());
                Assert.Equal([AppRoles.Customer], caller.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            }
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_token_outlives_a_restart_of_every_service()
    {
        var database = await keyRing.CreateAsync();
        string token;
        await using (var before = await StartServiceAsync(database))
        {
            token = TestTokens.Issue(before.Services, TestTokens.User("u2", AppRoles.Admin));
        }

        await using var after = await StartServiceAsync(database);

        Assert.Equal("u2", (await GetCallerAsync(after, token)).GetProperty("id").GetString());
        Assert.Equal(1L, await CountKeysAsync(database));
    }

    [Fact]
    public async Task Missing_expired_tampered_and_foreign_tokens_get_401_problem_details()
    {
        var database = await keyRing.CreateAsync();
        await using var app = await StartServiceAsync(database);
        await using var foreign = await StartServiceAsync(await keyRing.CreateAsync()); // another key ring: another shop
        var user = TestTokens.User("u3", AppRoles.Customer);
        var valid = TestTokens.Issue(app.Services, user);

        string?[] refused =
        [
            null,
            TestTokens.Issue(app.Services, user, lifetime: TimeSpan.FromSeconds(-1)),
            TestTokens.Tamper(valid),
            TestTokens.Issue(foreign.Services, user),
            "not-a-token",
        ];
        foreach (var token in refused)
        {
            using var response = await SendAsync(app, HttpMethod.Get, "/api/auth/me", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using var accepted = await SendAsync(app, HttpMethod.Get, "/api/auth/me", valid);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Every_endpoint_is_closed_unless_it_says_otherwise_and_service_tokens_reach_only_their_scope()
    {
        var database = await keyRing.CreateAsync();
        await using var app = await StartServiceAsync(database, web =>
        {
            web.MapGet("/open", () => "open").AllowAnonymous();
            web.MapGet("/undeclared", () => "undeclared");
            web.MapGet("/admin", () => "admin").RequireAuthorization(AuthorizationPolicies.Admin);
            web.MapGet("/sales", () => "sales").RequireAuthorization(AuthorizationPolicies.AdminOrScope("sales:read"));
        });
        var customer = TestTokens.Issue(app.Services, TestTokens.User("c", AppRoles.Customer));
        var admin = TestTokens.Issue(app.Services, TestTokens.User("a", AppRoles.Customer, AppRoles.Admin));
        var worker = TestTokens.Issue(app.Services, TestTokens.Service("forecast-worker", "sales:read"));
        var other = TestTokens.Issue(app.Services, TestTokens.Service("other-service", "stock:reserve"));

        (string Path, string? Token, HttpStatusCode Expected)[] cases =
        [
            ("/open", null, HttpStatusCode.OK),
            ("/undeclared", null, HttpStatusCode.Unauthorized),
            ("/undeclared", customer, HttpStatusCode.OK),
            ("/undeclared", worker, HttpStatusCode.Forbidden),
            ("/admin", customer, HttpStatusCode.Forbidden),
            ("/admin", worker, HttpStatusCode.Forbidden),
            ("/admin", admin, HttpStatusCode.OK),
            ("/sales", customer, HttpStatusCode.Forbidden),
            ("/sales", other, HttpStatusCode.Forbidden),
            ("/sales", worker, HttpStatusCode.OK),
            ("/sales", admin, HttpStatusCode.OK),
            ("/api/auth/me", worker, HttpStatusCode.OK),
            ("/health", null, HttpStatusCode.OK),
        ];
        foreach (var (path, token, expected) in cases)
        {
            using var response = await SendAsync(app, HttpMethod.Get, path, token);
            Assert.True(expected == response.StatusCode, $"{path} with {token?[..8] ?? "no token"}: {response.StatusCode}, expected {expected}");
        }

        var service = await GetCallerAsync(app, worker);
        Assert.Equal("service", service.GetProperty("kind").GetString());
        Assert.Equal(["sales:read"], service.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void The_key_ring_is_loaded_under_the_lock_before_the_framework_loads_it_without_one()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:keyringdb"] = "Host=unused" });
        builder.AddDefaultAuthentication();
        using var host = builder.Build();

        var order = host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        Assert.Contains("DataProtectionHostedService", order);
        Assert.True(order.IndexOf("KeyRingInitializer") < order.IndexOf("DataProtectionHostedService"), string.Join(", ", order));
    }

    private static Task<TestWebApp> StartServiceAsync(string keyRingConnectionString, Action<WebApplication>? map = null) =>
        TestWebApp.StartAsync(
            mapEndpoints: web =>
            {
                web.MapDefaultEndpoints();
                map?.Invoke(web);
            },
            configureBuilder: builder =>
            {
                builder.AddServiceDefaults();
                builder.AddDefaultAuthentication();
            },
            configuration: new Dictionary<string, string?> { ["ConnectionStrings:keyringdb"] = keyRingConnectionString });

    private static async Task<JsonElement> GetCallerAsync(TestWebApp app, string token)
    {
        using var response = await SendAsync(app, HttpMethod.Get, "/api/auth/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestWebApp app, HttpMethod method, string path, string? token)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request, Cancel);
    }

    private static async Task<long> CountKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys WHERE friendly_name LIKE 'key-%'", connection);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
