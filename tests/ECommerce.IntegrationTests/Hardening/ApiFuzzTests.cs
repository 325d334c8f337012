using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ECommerce.IntegrationTests.Identity;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Hardening;

/// <summary>
/// Walks every operation of the four API documents with malformed input (<see cref="RequestFuzzer"/>), as an anonymous
/// caller, a customer and an admin: no answer may be a 5xx, take longer than 5 s, or show internals (a stack trace,
/// SQL, a header, the caller's token). Seeded, so a failure repeats; it prints each failing request.
/// </summary>
[Collection(HardeningCollection.Name)]
public sealed class ApiFuzzTests(AppFixture fixture)
{
    private const int Seed = 20261207;
    private const int MinimumRequests = 10_000;
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(5);
    private static readonly string[] Identities = ["anonymous", "customer", "admin"];
    private static readonly string[] Internals = ["   at ", "Exception:", "Npgsql", "StackExchange.Redis", "SELECT ", "INSERT INTO", "Authorization", "Bearer ", "/home/", "/work/", ".cs:line"];

    [Fact]
    public async Task Malformed_requests_to_every_operation_get_a_clear_4xx_quickly_and_never_a_5xx()
    {
        var app = fixture.App;
        var documents = await OpenApiDocuments.ReadAllAsync(app);
        var operations = documents.Values.Sum(text => OpenApiDocuments.Operations(JsonDocument.Parse(text).RootElement).Count());
        var perOperation = (int)Math.Ceiling(MinimumRequests / (double)(operations * Identities.Length)) + 1;

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        foreach (var identity in Identities)
        {
            foreach (var (service, text) in documents)
            {
                var document = JsonDocument.Parse(text).RootElement;
                // A plain client (no retries, no resilience handler): each answer is the service's own first answer.
                using var client = new HttpClient { BaseAddress = app.GetEndpoint(service), Timeout = TimeSpan.FromSeconds(30) };
                var requests = new RequestFuzzer(document, service, Seed + identity.Length * 31 + service.Length).Requests(perOperation)
                    .GroupBy(r => r.OperationId).ToList();
                foreach (var operation in requests)
                {
                    // Fresh tokens for each operation: an operation that ends sessions (logout) must not blind the rest.
                    var token = await TokenAsync(identity);
                    await Parallel.ForEachAsync(operation, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
                        async (request, cancellation) =>
                        {
                            Interlocked.Increment(ref sent);
                            var (status, elapsed, body) = await SendAsync(client, request, token, cancellation);
                            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                            if (status >= 500 || status == 0)
                            {
                                failures.Enqueue($"{status} as {identity} {request}: {body[..Math.Min(body.Length, 300)]}");
                            }
                            else if (elapsed > SlowAnswer)
                            {
                                failures.Enqueue($"{status} after {elapsed.TotalSeconds:0.0} s as {identity} {request}");
                            }
                            else if (Leak(body, token) is { } leak)
                            {
                                failures.Enqueue($"{status} shows internals ({leak}) as {identity} {request}: {body[..Math.Min(body.Length, 300)]}");
                            }
                        });
                }
            }
        }

        var summary = $"{sent} requests over {operations} operations x {Identities.Length} callers in {clock.Elapsed.TotalSeconds:0} s; " +
            $"by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; failures: {failures.Count}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine($"Fuzz suite: {summary}");
        Assert.True(sent >= MinimumRequests, summary);
        Assert.True(failures.IsEmpty, $"{summary}\n{string.Join('\n', failures.Take(25))}");

        // And the app is still whole: every service answers its health check.
        foreach (var service in OpenApiDocuments.Services)
        {
            using var health = await app.CreateHttpClient(service).GetAsync("/health", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    /// <summary>What an answer shows that it must not: a stack trace, SQL, a header, the caller's own token.</summary>
    private static string? Leak(string body, string? token) =>
        Internals.FirstOrDefault(body.Contains) ?? (token is not null && body.Contains(token, StringComparison.Ordinal) ? "the token" : null);

    private async Task<string?> TokenAsync(string identity)
    {
        // Each sign-in from its own client address: the sign-in rate limit counts per address.
        var client = new IdentityClient(fixture.App);
        return identity switch
        {
            "customer" => (await client.NewCustomerAsync()).Tokens.AccessToken,
            "admin" => (await client.LoginAsAdminAsync()).AccessToken,
            _ => null,
        };
    }

    private static async Task<(int Status, TimeSpan Elapsed, string Body)> SendAsync(HttpClient client, FuzzRequest request, string? token, CancellationToken cancellation)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method.ToUpperInvariant()), new Uri(request.Url, UriKind.Relative));
        message.Headers.Add("X-Forwarded-For", "2001:db8:f::1");
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (request.Method is "post" or "put" or "patch")
        {
            message.Headers.Add("Idempotency-Key", $"fuzz-{Guid.NewGuid():N}");
        }
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(message, cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            return ((int)response.StatusCode, clock.Elapsed, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return (0, clock.Elapsed, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
