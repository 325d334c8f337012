using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Alone in its collection, run when no other test runs: whether an activity is recorded is decided by every listener
/// in the process, so another test's app (its own sampler) starting a request at the same moment could record ours.
/// </summary>
[CollectionDefinition(nameof(TraceSamplingTests), DisableParallelization = true)]
public sealed class TraceSamplingCollection;

[Collection(nameof(TraceSamplingTests))]
public sealed class TraceSamplingTests
{
    [Fact]
    public async Task Traces_begun_here_are_rate_limited_and_a_callers_decision_is_kept()
    {
        var exporter = new InMemoryActivityExporter();
        await using var app = await TestWebApp.StartAsync(
            web =>
            {
                web.Use((context, next) =>
                {
                    context.Response.Headers[TracingTests.TraceIdHeader] = Activity.Current?.TraceId.ToHexString();
                    return next(context);
                });
                web.MapGet("/api/ping", () => "pong");
            },
            builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
                    tracing.AddProcessor(new SimpleActivityExportProcessor(exporter)));
            },
            // One trace's budget, refilled about once in three hours.
            new Dictionary<string, string?> { ["Telemetry:TracesPerSecond"] = "0.0001" });
        using var client = app.CreateClient();

        var first = await TracingTests.SendWithoutTraceAsync(client, "/api/ping");
        var second = await TracingTests.SendWithoutTraceAsync(client, "/api/ping");
        var callerSampled = await TracingTests.SendWithTraceAsync(client, "/api/ping");
        var callerNotSampled = await TracingTests.SendWithTraceAsync(client, "/api/ping", sampled: false);

        await TracingTests.WaitForSpanAsync(exporter, first);
        await TracingTests.WaitForSpanAsync(exporter, callerSampled);
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Assert.DoesNotContain(exporter.Exported, span => span.TraceId == second || span.TraceId == callerNotSampled);
    }
}
