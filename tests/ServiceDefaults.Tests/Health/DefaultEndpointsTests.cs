using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Health;

public sealed class DefaultEndpointsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_and_alive_answer_200_with_a_json_report()
    {
        await using var app = await StartAsync();
        using var client = app.CreateClient();

        foreach (var path in new[] { "/health", "/alive" })
        {
            using var response = await client.GetAsync(path, Cancel);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
            Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
            var self = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray());
            Assert.Equal("self", self.GetProperty("name").GetString());
            Assert.Equal("Healthy", self.GetProperty("status").GetString());
            Assert.True(self.TryGetProperty("durationMs", out _));
        }
    }

    [Fact]
    public async Task Failing_dependency_makes_health_503_while_alive_stays_200()
    {
        await using var app = await StartAsync(builder => builder.Services.AddHealthChecks()
            .AddCheck("db", () => HealthCheckResult.Unhealthy("database down", new InvalidOperationException("secret detail")), ["ready"]));
        using var client = app.CreateClient();

        using var health = await client.GetAsync("/health", Cancel);
        using var alive = await client.GetAsync("/alive", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        var body = await health.Content.ReadAsStringAsync(Cancel);
        using var json = JsonDocument.Parse(body);
        var db = json.RootElement.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "db");
        Assert.Equal("Unhealthy", db.GetProperty("status").GetString());
        Assert.Equal("database down", db.GetProperty("description").GetString());
        Assert.DoesNotContain("secret detail", body);
    }

    [Fact]
    public async Task Degraded_dependency_makes_health_503()
    {
        await using var app = await StartAsync(builder => builder.Services.AddHealthChecks()
            .AddCheck("cache", () => HealthCheckResult.Degraded("slow"), ["ready"]));

        using var response = await app.CreateClient().GetAsync("/health", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_stay_anonymous_under_an_authorization_fallback_policy()
    {
        await using var app = await StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication().AddBearerToken();
                builder.Services.AddAuthorizationBuilder()
                    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            },
            web => web.MapGet("/api/secret", () => "secret"));
        using var client = app.CreateClient();

        using var secret = await client.GetAsync("/api/secret", Cancel);
        using var health = await client.GetAsync("/health", Cancel);
        using var alive = await client.GetAsync("/alive", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, secret.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Unhandled_exception_becomes_problem_details_without_stack_trace()
    {
        await using var app = await StartAsync(mapEndpoints: web =>
            web.MapGet("/boom", string () => throw new InvalidOperationException("connection string with password=hunter2")));

        using var response = await app.CreateClient().GetAsync("/boom", Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(500, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task Unknown_route_answers_404_problem_details()
    {
        await using var app = await StartAsync();

        using var response = await app.CreateClient().GetAsync("/nope", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(404, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("/nope", json.RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Validation_problem_from_an_endpoint_keeps_its_own_body_and_gets_a_trace_id()
    {
        await using var app = await StartAsync(mapEndpoints: web =>
            web.MapGet("/invalid", () => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["required"] })));

        using var response = await app.CreateClient().GetAsync("/invalid", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal("required", json.RootElement.GetProperty("errors").GetProperty("q")[0].GetString());
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Input_an_endpoint_cannot_bind_answers_400_saying_what_was_wrong(string environment)
    {
        await using var app = await TestWebApp.StartAsync(
            web =>
            {
                web.MapDefaultEndpoints();
                web.MapPost("/items", (NewItem item) => TypedResults.Ok(item));
                web.MapGet("/items", (int page) => TypedResults.Ok(page));
            },
            builder => builder.AddServiceDefaults(),
            environment: environment);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "secret-token-value");

        async Task<JsonElement> BadAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.DoesNotContain("secret-token-value", body);
            Assert.DoesNotContain("Exception", body);
            return JsonDocument.Parse(body).RootElement.Clone();
        }

        using (var wrongType = await client.PostAsync("/items", Json("""{"name":"peg","quantity":"two"}"""), Cancel))
        {
            var problem = await BadAsync(wrongType);
            Assert.Contains("quantity", problem.GetProperty("detail").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty("quantity", out _));
        }
        using (var notJson = await client.PostAsync("/items", Json("{name: peg"), Cancel))
        {
            Assert.StartsWith("The request body is not valid JSON", (await BadAsync(notJson)).GetProperty("detail").GetString());
        }
        using (var noBody = await client.PostAsync("/items", new StringContent("", System.Text.Encoding.UTF8, "application/json"), Cancel))
        {
            Assert.Equal("The request needs a JSON body.", (await BadAsync(noBody)).GetProperty("detail").GetString());
        }
        using (var badQuery = await client.GetAsync("/items?page=two", Cancel))
        {
            Assert.Contains("page", (await BadAsync(badQuery)).GetProperty("detail").GetString());
        }
    }

    private sealed record NewItem(string Name, int Quantity);

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public void Worker_host_gets_the_defaults_too()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.AddServiceDefaults();

        using var host = builder.Build();

        Assert.NotNull(host.Services.GetService<HealthCheckService>());
        Assert.NotNull(host.Services.GetService<IHttpClientFactory>());
    }

    private static Task<TestWebApp> StartAsync(Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? mapEndpoints = null) =>
        TestWebApp.StartAsync(
            app =>
            {
                app.MapDefaultEndpoints();
                mapEndpoints?.Invoke(app);
            },
            builder =>
            {
                builder.AddServiceDefaults();
                configure?.Invoke(builder);
            });
}
