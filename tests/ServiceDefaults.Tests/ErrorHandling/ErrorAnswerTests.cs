using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ServiceDefaults.Tests.Infrastructure;
using StackExchange.Redis;

namespace ServiceDefaults.Tests.ErrorHandling;

/// <summary>
/// What a failing request answers, in Production and in Development alike: a server that is down is a 503 with
/// Retry-After; anything unexpected a 500 that shows nothing of the exception or the request; text a database cannot
/// store and JSON in another charset are refused before any handler runs.
/// </summary>
public sealed class ErrorAnswerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string Token = "secret-token-value";

    private static Task<TestWebApp> StartAsync(string environment) => TestWebApp.StartAsync(
        web =>
        {
            web.MapDefaultEndpoints();
            web.MapGet("/boom", string () => throw new InvalidOperationException("Secret detail at /work/src/Boom.cs"));
            web.MapGet("/postgres-down", string () => throw new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)));
            web.MapGet("/redis-down", string () => throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No connection is active", null, CommandStatus.Unknown));
            web.MapGet("/search", (string? q) => q ?? "");
            web.MapPost("/items", (Item item) => item.Name);
        },
        builder => builder.AddServiceDefaults(),
        environment: environment);

    private sealed record Item(string Name);

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task An_unexpected_exception_is_a_500_problem_with_no_internals(string environment)
    {
        await using var app = await StartAsync(environment);

        var (response, body) = await GetAsync(app, "/boom", accept: environment == "Development" ? "text/html" : "application/json");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(environment == "Development" ? "text/plain" : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var secret in new[] { Token, "Secret detail", "Boom.cs", "InvalidOperationException", "   at ", "Authorization" })
        {
            Assert.DoesNotContain(secret, body);
        }
    }

    [Theory]
    [InlineData("/postgres-down", "Production")]
    [InlineData("/postgres-down", "Development")]
    [InlineData("/redis-down", "Production")]
    public async Task A_server_that_is_down_is_a_503_with_retry_after(string path, string environment)
    {
        await using var app = await StartAsync(environment);

        var (response, body) = await GetAsync(app, path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("try again", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", body);
        Assert.DoesNotContain("Exception", body);
    }

    [Fact]
    public async Task Text_with_a_nul_or_a_lone_surrogate_is_a_400_naming_where_it_was()
    {
        await using var app = await StartAsync("Production");
        using var client = app.CreateClient();

        using (var query = await client.GetAsync("/search?q=tent%00", Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
            Assert.True(JsonDocument.Parse(await query.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("errors").TryGetProperty("q", out _));
        }
        foreach (var name in new[] { "\"a\\u0000b\"", "\"a\\ud800b\"" })
        {
            using var body = await client.PostAsync("/items", new StringContent($"{{\"name\":{name}}}", System.Text.Encoding.UTF8, "application/json"), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, body.StatusCode);
            var problem = JsonDocument.Parse(await body.Content.ReadAsStringAsync(Cancel)).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _), problem.ToString());
        }
        using var fine = await client.PostAsync("/items", new StringContent("{\"name\":\"tent \\ud83c\\udfd5\"}", System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Theory]
    [InlineData("application/json; charset=bogus", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=iso-8859-1", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=\"utf-8\"", HttpStatusCode.OK)]
    [InlineData("application/json; charset=UTF8", HttpStatusCode.OK)]
    [InlineData("application/json", HttpStatusCode.OK)]
    public async Task Json_is_read_as_utf8_only(string contentType, HttpStatusCode expected)
    {
        await using var app = await StartAsync("Production");
        using var client = app.CreateClient();
        var content = new ByteArrayContent("{\"name\":\"peg\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.PostAsync("/items", content, Cancel);

        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(TestWebApp app, string path, string accept = "application/json")
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Accept.ParseAdd(accept);
        var response = await client.SendAsync(request, Cancel);
        return (response, await response.Content.ReadAsStringAsync(Cancel));
    }
}
