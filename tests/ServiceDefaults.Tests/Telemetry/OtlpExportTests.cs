using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Telemetry;

public sealed class OtlpExportTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Traces_metrics_and_logs_are_exported_over_http_protobuf_when_the_endpoint_is_set()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        await using var collector = await TestWebApp.StartAsync(web => web.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((request.Path, request.ContentType, body.ToArray()));
            return Results.Ok();
        }));

        var serviceName = $"otlp-test-{Guid.NewGuid():N}";
        var app = await TestWebApp.StartAsync(
            web => web.MapGet("/ping", (ILogger<OtlpExportTests> logger) =>
            {
                logger.LogInformation("Ping from {Caller}", "the test");
                return "pong";
            }),
            builder => builder.AddServiceDefaults(),
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString(),
                // As the AppHost sets it for its dashboard's receiver (the exporter's own default is grpc).
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = serviceName,
            });
        await app.CreateClient().GetStringAsync("/ping", Cancel);

        // Stopping the host flushes and shuts down the providers.
        await app.DisposeAsync();

        Assert.Equal(["/v1/logs", "/v1/metrics", "/v1/traces"], received.Select(r => r.Path).Distinct().Order());
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.All(received, r => Assert.Contains(serviceName, Encoding.UTF8.GetString(r.Body)));
        var traces = string.Concat(received.Where(r => r.Path == "/v1/traces").Select(r => Encoding.UTF8.GetString(r.Body)));
        Assert.Contains("GET /ping", traces);
        Assert.DoesNotContain("/v1/", traces); // the exporter's own calls are not traced
        Assert.Contains(received, r => r.Path == "/v1/logs" && Encoding.UTF8.GetString(r.Body).Contains("Ping from the test"));
    }
}
