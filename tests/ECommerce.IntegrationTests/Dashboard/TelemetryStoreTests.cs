using ECommerce.AppHost.Telemetry;
using ECommerce.AppHost.Telemetry.Otlp;
using Google.Protobuf;

namespace ECommerce.IntegrationTests.Dashboard;

/// <summary>The dashboard's telemetry store on its own (no app): caps, cumulative metrics, OTLP parsing.</summary>
public sealed class TelemetryStoreTests
{
    private static readonly DateTime T0 = new(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Beyond_the_span_cap_whole_traces_go_oldest_first()
    {
        var store = new TraceStore(maxSpans: 10);

        for (var trace = 0; trace < 6; trace++)
        {
            store.Add(Enumerable.Range(0, 3).Select(i => Span($"{trace:x32}", $"{trace * 10 + i + 1:x16}", T0.AddSeconds(trace))));
        }

        Assert.Equal(9, store.SpanCount);
        Assert.Equal(3, store.TraceCount);
        Assert.Null(store.Get($"{0:x32}"));
        Assert.Null(store.Get($"{2:x32}"));
        Assert.Equal(3, store.Get($"{5:x32}")!.Count);
        Assert.Equal(9, store.DroppedSpans);
    }

    [Fact]
    public void A_trace_lists_its_root_span_and_every_resource_it_crossed()
    {
        var store = new TraceStore(100);
        var traceId = new string('a', 32);
        store.Add([Span(traceId, "0000000000000002", T0.AddMilliseconds(5), parent: "0000000000000001", resource: "catalog-api", name: "GET /api/catalog/products")]);
        store.Add([Span(traceId, "0000000000000001", T0, resource: "storefront", name: "GET /")]);

        var summary = Assert.Single(store.List(new TraceQuery(Resource: "catalog-api")));

        Assert.Equal(("storefront", "GET /"), (summary.RootResource, summary.RootName));
        Assert.Equal(["catalog-api", "storefront"], summary.Resources);
        Assert.Equal(2, summary.SpanCount);
    }

    [Fact]
    public void Beyond_the_log_cap_the_oldest_entries_go()
    {
        var store = new LogStore(maxLogs: 3);

        store.Add(Enumerable.Range(1, 5).Select(i => new LogEntry(0, T0.AddSeconds(i), "storefront", LogLevelName.Information, "Test", $"message {i}", [], null, null)));

        Assert.Equal(["message 5", "message 4", "message 3"], store.Query(new LogQuery()).Select(e => e.Message));
        Assert.Equal(2, store.Dropped);
    }

    [Fact]
    public void Log_filters_combine_resource_level_and_text()
    {
        var store = new LogStore(100);
        store.Add(
        [
            new LogEntry(0, T0, "storefront", LogLevelName.Warning, "Checker", "ordering-api is unreachable", [], null, null),
            new LogEntry(0, T0, "storefront", LogLevelName.Information, "Checker", "ordering-api answered", [], null, null),
            new LogEntry(0, T0, "catalog-api", LogLevelName.Error, "Stock", "reservation failed", [new("sku", "TENT-2P")], null, null),
        ]);

        Assert.Equal(["ordering-api is unreachable"], store.Query(new LogQuery("storefront", LogLevelName.Warning)).Select(e => e.Message));
        Assert.Equal(["reservation failed"], store.Query(new LogQuery(Text: "tent-2p")).Select(e => e.Message));
    }

    [Fact]
    public void Cumulative_histograms_become_per_export_deltas_and_a_restart_starts_over()
    {
        var series = new MetricSeries([], capacity: 10);
        double[] bounds = [0.01, 0.1, 1];

        series.AddHistogram(T0, startTime: 1, count: 4, sum: 0.2, bounds, [2, 2, 0, 0], cumulative: true);
        series.AddHistogram(T0.AddSeconds(1), startTime: 1, count: 10, sum: 1.0, bounds, [2, 5, 3, 0], cumulative: true);
        series.AddHistogram(T0.AddSeconds(2), startTime: 2, count: 3, sum: 0.1, bounds, [1, 2, 0, 0], cumulative: true);

        var points = series.Snapshot(DateTime.MinValue).Points;
        Assert.Equal([4, 6, 3], points.Select(p => p.Count));
        Assert.Equal([0, 3, 3, 0], points[1].Buckets!);
        Assert.Equal([1, 2, 0, 0], points[2].Buckets!);
    }

    [Fact]
    public void Request_rate_and_percentiles_come_from_the_histogram_buckets()
    {
        var window = new ChartWindow(T0.AddSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        double[] bounds = [0.01, 0.1, 1];
        var series = new SeriesSnapshot([], [new MetricPoint(T0.AddSeconds(1), 0, 10, 0.5, bounds, [0, 10, 0, 0]), new MetricPoint(T0.AddSeconds(6), 0, 20, 1, bounds, [10, 10, 0, 0])]);

        Assert.Equal([2.0, 4.0], MetricAggregation.Rate([series], window));
        Assert.Equal(0.055, MetricAggregation.Percentile([series], window, 0.5)[0]!.Value, 6);
        Assert.Equal(0.01, MetricAggregation.Percentile([series], window, 0.5)[1]!.Value, 6);
        Assert.Null(MetricAggregation.Percentile(bounds, [0, 0, 0, 0], 0.5));
    }

    [Fact]
    public void Otlp_protobuf_spans_keep_their_ids_times_and_attributes()
    {
        var start = (ulong)(T0 - DateTime.UnixEpoch).Ticks * 100;
        var request = new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new Resource { Attributes = { Attribute("service.name", "catalog-api") } },
                    ScopeSpans =
                    {
                        new ScopeSpans
                        {
                            Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" },
                            Spans =
                            {
                                new ECommerce.AppHost.Telemetry.Otlp.Span
                                {
                                    TraceId = ByteString.CopyFrom(Convert.FromHexString("0102030405060708090a0b0c0d0e0f10")),
                                    SpanId = ByteString.CopyFrom(Convert.FromHexString("1112131415161718")),
                                    Name = "GET /api/catalog/products",
                                    Kind = ECommerce.AppHost.Telemetry.Otlp.Span.Types.SpanKind.Server,
                                    StartTimeUnixNano = start,
                                    EndTimeUnixNano = start + 1_500_000,
                                    Attributes = { Attribute("http.response.status_code", 200L) },
                                },
                            },
                        },
                    },
                },
            },
        };

        var span = Assert.Single(OtlpConverter.ToSpans(ExportTraceServiceRequest.Parser.ParseFrom(request.ToByteArray())));

        Assert.Equal(("0102030405060708090a0b0c0d0e0f10", "1112131415161718", (string?)null), (span.TraceId, span.SpanId, span.ParentSpanId));
        Assert.Equal(("catalog-api", "Microsoft.AspNetCore", SpanKindName.Server), (span.Resource, span.Scope, span.Kind));
        Assert.Equal(T0, span.StartUtc);
        Assert.Equal(TimeSpan.FromMilliseconds(1.5), span.Duration);
        Assert.Equal("200", span.Attributes.Get("http.response.status_code"));
    }

    [Fact]
    public void Otlp_json_ids_are_hex()
    {
        var json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"tool"}}]},
              "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                "parentSpanId":"eee19b7ec3c1b173","name":"work","kind":"SPAN_KIND_INTERNAL","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}
            """u8.ToArray();

        var span = Assert.Single(OtlpConverter.ToSpans(OtlpJson.Parse<ExportTraceServiceRequest>(json)));

        Assert.Equal(("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "eee19b7ec3c1b173"), (span.TraceId, span.SpanId, span.ParentSpanId));
        Assert.Equal(("tool", "work", SpanKindName.Internal), (span.Resource, span.Name, span.Kind));
    }

    private static SpanRecord Span(string traceId, string spanId, DateTime start, string? parent = null, string resource = "storefront", string name = "GET /") =>
        new(traceId, spanId, parent, name, SpanKindName.Server, resource, "test", start, start.AddMilliseconds(10), SpanStatus.Unset, null, [], []);

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Attribute(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}
