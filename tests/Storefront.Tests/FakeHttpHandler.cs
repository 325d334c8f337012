using System.Net;

namespace Storefront.Tests;

/// <summary>An HttpMessageHandler that answers with a function of the request, and records what it was sent.</summary>
internal sealed class FakeHttpHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public List<Uri> Requests { get; } = [];

    public static FakeHttpHandler Answering(HttpStatusCode status) =>
        new((_, _) => Task.FromResult(new HttpResponseMessage(status)));

    public static FakeHttpHandler AnsweringAfter(TimeSpan delay, HttpStatusCode status) =>
        new(async (_, cancellationToken) =>
        {
            await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(status);
        });

    public static FakeHttpHandler Throwing(Exception exception) =>
        new((_, _) => Task.FromException<HttpResponseMessage>(exception));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request.RequestUri!);
        }
        return respond(request, cancellationToken);
    }
}
