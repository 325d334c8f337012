using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECommerce.AppHost.Telemetry;

/// <summary>
/// OTLP/HTTP: POST /v1/traces, /v1/logs and /v1/metrics with a protobuf (or JSON) export request.
/// The request path only checks the API key, copies the body and queues it: parsing happens later.
/// </summary>
internal sealed class OtlpReceiver(TelemetryIngestor ingestor, string apiKey)
{
    /// <summary>The header the services send the key in (given to them as OTEL_EXPORTER_OTLP_HEADERS).</summary>
    public const string ApiKeyHeader = "x-otlp-api-key";

    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    private readonly byte[] _apiKey = Encoding.UTF8.GetBytes(apiKey);

    /// <summary>The paths every OTLP/HTTP exporter posts to (the base URL plus these).</summary>
    public static bool IsOtlpPath(PathString path) => path.StartsWithSegments("/v1");

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/traces", context => ReceiveAsync(context, OtlpSignal.Traces));
        endpoints.MapPost("/v1/logs", context => ReceiveAsync(context, OtlpSignal.Logs));
        endpoints.MapPost("/v1/metrics", context => ReceiveAsync(context, OtlpSignal.Metrics));
    }

    private async Task ReceiveAsync(HttpContext context, OtlpSignal signal)
    {
        var request = context.Request;
        if (!HasApiKey(request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (Protobuf or Json))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var body = await ReadBodyAsync(request, context.RequestAborted);
        var isGzip = string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        ingestor.TryEnqueue(new OtlpExport(signal, body, mediaType == Json, isGzip));

        // An empty Export*ServiceResponse: all accepted. A dropped export is not reported back as a
        // failure on purpose: the exporter would retry and do more work for a dashboard that is behind.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = mediaType;
        if (mediaType == Json)
        {
            await context.Response.WriteAsync("{}", context.RequestAborted);
        }
        else
        {
            context.Response.ContentLength = 0;
        }
    }

    private bool HasApiKey(HttpRequest request) =>
        request.Headers.TryGetValue(ApiKeyHeader, out var values) && values.Count == 1
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(values[0] ?? ""), _apiKey);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and > 0)
        {
            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, cancellationToken);
            return body;
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
        {
            throw new BadHttpRequestException("The export is too large.", StatusCodes.Status413PayloadTooLarge);
        }
        return buffer.ToArray();
    }
}
