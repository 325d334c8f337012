using System.Collections.Concurrent;
using System.Net;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>A fake transport: answers each request with the next scripted reply and records what it was sent.</summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] replies) : HttpMessageHandler
{
    private int _calls;

    public ConcurrentQueue<SentRequest> Sent { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Status(HttpStatusCode status) =>
        (_, _) => Task.FromResult(new HttpResponseMessage(status));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls) - 1;
        var body = request.Content is null ? null : await ReadLikeATransportAsync(request.Content, cancellationToken);
        Sent.Enqueue(new SentRequest(request.Method, request.RequestUri!, body));

        var reply = replies.Length == 0 ? Status(HttpStatusCode.OK) : replies[Math.Min(call, replies.Length - 1)];
        var response = await reply(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    /// <summary>Copies the body out as a real transport would (ReadAsStringAsync would buffer it and hide replay bugs).</summary>
    private static async Task<string> ReadLikeATransportAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(copy.ToArray());
    }

    public sealed record SentRequest(HttpMethod Method, Uri Uri, string? Body);
}
