using System.IO.Compression;
using System.Threading.Channels;
using ECommerce.AppHost.Telemetry.Otlp;
using Google.Protobuf;

namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// Parses and stores received exports on one background task, so the receiver only copies bytes
/// and answers. When the queue is full, exports are dropped (and counted) rather than slowing anyone.
/// </summary>
internal sealed class TelemetryIngestor : IAsyncDisposable
{
    private readonly Channel<OtlpExport> _queue;
    private readonly TelemetryStore _store;
    private readonly Action<string> _reportError;
    private readonly Task _loop;
    private long _received;
    private long _dropped;
    private long _invalid;

    public TelemetryIngestor(TelemetryStore store, Action<string> reportError)
    {
        _store = store;
        _reportError = reportError;
        _queue = Channel.CreateBounded<OtlpExport>(new BoundedChannelOptions(store.Limits.MaxQueuedExports)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once: the request is dropped
        });
        _loop = Task.Run(IngestLoopAsync);
    }

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Exports dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Exports that could not be read.</summary>
    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Never blocks; false when the export was dropped.</summary>
    public bool TryEnqueue(OtlpExport export)
    {
        Interlocked.Increment(ref _received);
        if (_queue.Writer.TryWrite(export))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private async Task IngestLoopAsync()
    {
        await foreach (var export in _queue.Reader.ReadAllAsync())
        {
            try
            {
                Store(export);
            }
            catch (Exception e)
            {
                // A bad export (or a bug in reading one) costs that export only, never the loop.
                if (Interlocked.Increment(ref _invalid) <= 3)
                {
                    _reportError($"Dashboard: an OTLP {export.Signal} export could not be read: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }

    private void Store(OtlpExport export)
    {
        var body = export.IsGzip ? Gunzip(export.Body) : export.Body;
        switch (export.Signal)
        {
            case OtlpSignal.Traces:
                _store.Add(Parse(ExportTraceServiceRequest.Parser, body, export.IsJson));
                break;
            case OtlpSignal.Logs:
                _store.Add(Parse(ExportLogsServiceRequest.Parser, body, export.IsJson));
                break;
            case OtlpSignal.Metrics:
                _store.Add(Parse(ExportMetricsServiceRequest.Parser, body, export.IsJson));
                break;
        }
    }

    private static T Parse<T>(MessageParser<T> parser, byte[] body, bool isJson) where T : IMessage<T>, new() =>
        isJson ? OtlpJson.Parse<T>(body) : parser.ParseFrom(body);

    private static byte[] Gunzip(byte[] body)
    {
        using var input = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
