using System.Diagnostics;
using System.Net;
using ECommerce.IntegrationTests.Infrastructure;

namespace ECommerce.IntegrationTests.Dashboard;

/// <summary>Traces, structured logs and metrics the services export to the AppHost's OTLP receiver.</summary>
[Collection(AppCollection.Name)]
public sealed class DashboardTelemetryTests(AppFixture fixture)
{
    private static readonly string[] Backends = ["catalog-api", "ordering-api", "forecast-worker", "assistant-api"];

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_across_services_shows_as_one_trace_with_spans_from_each()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);
        var traceId = await GetStatusInNewTraceAsync();

        // GET /api/status on the storefront calls the four backends by name.
        var trace = await Eventually.ReturnsAsync(
            () => DashboardJson.FindAsync<TraceJson>(dashboard, $"/api/traces/{traceId}", Cancellation),
            // Each service exports on its own clock: wait for the storefront's spans as well as the backends'.
            t => t is not null
                && Backends.All(b => t.Spans.Any(s => s.Resource == b && s.Kind == "Server"))
                && t.Spans.Any(s => s.Resource == "storefront" && s.Kind == "Server")
                && t.Spans.Count(s => s.Resource == "storefront" && s.Kind == "Client") >= Backends.Length,
            TimeSpan.FromSeconds(30), $"trace {traceId} with the storefront's spans and a server span of every backend");

        var spans = trace!.Spans;
        Assert.Contains(spans, s => s.Resource == "storefront" && s.Kind == "Server" && s.Name == "GET /api/status");
        Assert.True(spans.Select(s => s.Resource).Distinct().Count() >= 3);
        // Each backend's span hangs under the storefront's call to it.
        var storefrontClients = spans.Where(s => s.Resource == "storefront" && s.Kind == "Client").ToDictionary(s => s.SpanId);
        foreach (var server in spans.Where(s => Backends.Contains(s.Resource) && s.Kind == "Server"))
        {
            Assert.True(storefrontClients.ContainsKey(server.ParentSpanId!), $"{server.Resource}'s span is not a child of a storefront call");
        }

        var page = await dashboard.GetStringAsync($"/traces/{traceId}", Cancellation);
        Assert.Contains("GET /api/status", page);
        Assert.All(["storefront", .. Backends], resource => Assert.Contains($">{resource}</span>", page));
        var list = await dashboard.GetStringAsync("/traces?resource=catalog-api", Cancellation);
        Assert.Contains($"/traces/{traceId}", list);
    }

    [Fact]
    public async Task Structured_logs_are_filtered_by_resource_level_and_text()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);

        // Every service logs where it listens when it starts.
        var listening = await Eventually.ReturnsAsync(
            () => DashboardJson.GetAsync<List<LogJson>>(dashboard, "/api/logs?resource=catalog-api&q=Now%20listening", Cancellation),
            logs => logs.Count > 0, TimeSpan.FromSeconds(30), "catalog-api's start-up log");
        var warnings = await DashboardJson.GetAsync<List<LogJson>>(dashboard, "/api/logs?level=Warning", Cancellation);
        var page = await dashboard.GetStringAsync("/logs?resource=catalog-api&q=Now%20listening", Cancellation);

        Assert.All(listening, l => Assert.Equal("catalog-api", l.Resource));
        Assert.All(listening, l => Assert.Contains("Now listening", l.Message));
        Assert.All(warnings, l => Assert.Contains(l.Level, new[] { "Warning", "Error", "Critical" }));
        Assert.Contains(fixture.App.GetResource("catalog-api").Urls[0], page);
    }

    [Fact]
    public async Task An_otlp_json_export_is_received_with_its_logs_linked_to_its_trace()
    {
        // Any OTLP/HTTP exporter can send here: this one speaks JSON (hex ids) instead of protobuf.
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);
        using var otlp = new HttpClient { BaseAddress = new Uri(fixture.App.Dashboard.OtlpEndpoint) };
        otlp.DefaultRequestHeaders.Add("x-otlp-api-key", fixture.App.Dashboard.OtlpApiKey);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var spanId = ActivitySpanId.CreateRandom().ToHexString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var resource = """{"attributes":[{"key":"service.name","value":{"stringValue":"json-tool"}}]}""";

        using var spans = await otlp.PostAsync("/v1/traces", Json($$$"""
            {"resourceSpans":[{"resource":{{{resource}}},"scopeSpans":[{"scope":{"name":"test"},"spans":[
              {"traceId":"{{{traceId}}}","spanId":"{{{spanId}}}","name":"import products","kind":1,
               "startTimeUnixNano":"{{{now}}}","endTimeUnixNano":"{{{now + 42_000_000}}}","status":{"code":2,"message":"boom"}}]}]}]}
            """), Cancellation);
        using var logs = await otlp.PostAsync("/v1/logs", Json($$$"""
            {"resourceLogs":[{"resource":{{{resource}}},"scopeLogs":[{"scope":{"name":"Importer"},"logRecords":[
              {"timeUnixNano":"{{{now}}}","severityNumber":17,"body":{"stringValue":"Import failed for SKU-42"},
               "traceId":"{{{traceId}}}","spanId":"{{{spanId}}}","attributes":[{"key":"sku","value":{"stringValue":"SKU-42"}}]}]}]}]}
            """), Cancellation);

        Assert.Equal(HttpStatusCode.OK, spans.StatusCode);
        Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
        var trace = await Eventually.ReturnsAsync(
            () => DashboardJson.FindAsync<TraceJson>(dashboard, $"/api/traces/{traceId}", Cancellation),
            t => t is not null, TimeSpan.FromSeconds(10), "the JSON trace to be stored");
        var span = Assert.Single(trace!.Spans);
        Assert.Equal(("json-tool", "import products", spanId), (span.Resource, span.Name, span.SpanId));
        var entry = await Eventually.ReturnsAsync(
            async () => (await DashboardJson.GetAsync<List<LogJson>>(dashboard, $"/api/logs?trace={traceId}", Cancellation)).SingleOrDefault(),
            e => e is not null, TimeSpan.FromSeconds(10), "the JSON log to be stored");
        Assert.Equal(("json-tool", "Error", "Import failed for SKU-42"), (entry!.Resource, entry.Level, entry.Message));
        var errors = await dashboard.GetStringAsync("/logs?level=Error&q=SKU-42", Cancellation);
        Assert.Contains($"href=\"/traces/{traceId}\"", errors);
    }

    [Fact]
    public async Task Metrics_show_request_rate_and_latency_per_service()
    {
        var dashboard = await fixture.App.CreateDashboardClientAsync(cancellationToken: Cancellation);
        for (var i = 0; i < 5; i++)
        {
            await GetStatusInNewTraceAsync();
        }

        var http = await Eventually.ReturnsAsync(
            () => DashboardJson.FindAsync<HttpMetricsJson>(dashboard, "/api/metrics/storefront/http?window=5", Cancellation),
            m => m is { TotalRequests: >= 5 }, TimeSpan.FromSeconds(30), "the storefront's request count to reach 5");
        var page = await dashboard.GetStringAsync("/metrics", Cancellation);

        Assert.NotNull(http!.P95Milliseconds);
        Assert.Contains("<svg", page);
        Assert.Contains("Requests per second", page);
        Assert.Contains("Latency", page);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>GET storefront /api/status as part of a new (sampled) trace whose id the test knows.</summary>
    private async Task<string> GetStatusInNewTraceAsync()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = fixture.App.Application.GetEndpoint("storefront"),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return traceId;
    }
}
