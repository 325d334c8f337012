using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Telemetry;

public sealed class TracingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Api_requests_are_traced_with_their_route_but_health_probes_are_not()
    {
        var exporter = new InMemoryActivityExporter();
        ActivitySource? appSource = null;
        await using var app = await TestWebApp.StartAsync(
            web =>
            {
                // Tells the client the trace id of its request, also of one that came without trace context.
                web.Use((context, next) =>
                {
                    context.Response.Headers[TraceIdHeader] = Activity.Current?.TraceId.ToHexString();
                    return next(context);
                });
                web.MapDefaultEndpoints();
                web.MapGet("/api/items/{id:int}", (int id) =>
                {
                    using var work = appSource!.StartActivity("load-item");
                    return id;
                });
            },
            builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
                    tracing.AddProcessor(new SimpleActivityExportProcessor(exporter)));

                // The app's own source, named after the application, is collected.
                appSource = new ActivitySource(builder.Environment.ApplicationName);

                // A check doing traced work, like the SELECT 1 of a database check: its span must go too.
                builder.Services.AddHealthChecks().AddCheck("traced", () =>
                {
                    using var work = appSource.StartActivity("check-work");
                    return HealthCheckResult.Healthy();
                }, ["live"]);
            });
        using var client = app.CreateClient();

        // Other tests run apps in this process at the same time: tell our requests apart by trace id.
        // Probes come without trace context, as an orchestrator's (or the AppHost's) do.
        var apiTrace = await SendWithTraceAsync(client, "/api/items/42");
        var healthTrace = await SendWithoutTraceAsync(client, "/health");
        var aliveTrace = await SendWithoutTraceAsync(client, "/alive");

        var api = await WaitForSpanAsync(exporter, apiTrace);
        Assert.Equal("GET /api/items/{id:int}", api.DisplayName);
        Assert.Equal(ActivityKind.Server, api.Kind);
        Assert.Equal("/api/items/{id:int}", api.GetTagItem("http.route"));
        Assert.Contains(exporter.Exported, span => span.TraceId == apiTrace && span.OperationName == "load-item");

        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Assert.DoesNotContain(exporter.Exported, span => span.TraceId == healthTrace || span.TraceId == aliveTrace);
    }

    [Fact]
    public async Task A_probe_made_inside_a_trace_is_recorded()
    {
        // The storefront's status page calls each backend's /alive: that trace shows both sides.
        var exporter = new InMemoryActivityExporter();
        await using var app = await TestWebApp.StartAsync(
            web => web.MapDefaultEndpoints(),
            builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
                    tracing.AddProcessor(new SimpleActivityExportProcessor(exporter)));
            });

        var trace = await SendWithTraceAsync(app.CreateClient(), "/alive");

        var span = await WaitForSpanAsync(exporter, trace);
        Assert.Equal("/alive", span.GetTagItem("url.path"));
    }

    internal const string TraceIdHeader = "x-test-trace-id";

    internal static async Task<ActivityTraceId> SendWithoutTraceAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancel);
        return ActivityTraceId.CreateFromString(response.Headers.GetValues(TraceIdHeader).Single());
    }

    internal static async Task<ActivityTraceId> SendWithTraceAsync(HttpClient client, string path, bool sampled = true)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-{(sampled ? "01" : "00")}");
        using var response = await client.SendAsync(request, Cancel);
        return traceId;
    }

    internal static async Task<Activity> WaitForSpanAsync(InMemoryActivityExporter exporter, ActivityTraceId traceId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (true)
        {
            if (exporter.Exported.FirstOrDefault(span => span.TraceId == traceId && span.Kind == ActivityKind.Server) is { } span)
            {
                return span;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
