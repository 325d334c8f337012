using System.Diagnostics;
using Polly;

namespace ECommerce.ServiceDefaults.Resilience;

/// <summary>
/// Runs each request through the client's resilience pipeline. The same request message is sent on
/// every attempt: its body is buffered first (when it may be retried), its URI is put back to the
/// logical one (so service discovery resolves again, possibly to another instance), and the trace
/// headers of the previous attempt are removed (so each attempt gets its own span id).
/// </summary>
internal sealed class ResilienceHandler(string clientName, HttpResiliencePipelines pipelines) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestUri = request.RequestUri;
        var pipeline = pipelines.Get(clientName, requestUri is { IsAbsoluteUri: true } ? requestUri.Authority : string.Empty);

        if (HttpRetryRules.IsRetryable(request) && request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpResiliencePipelines.RequestKey, request);
        try
        {
            var attempt = 0;
            var outcome = await pipeline.ExecuteOutcomeAsync(
                async (ctx, _) =>
                {
                    if (attempt++ > 0)
                    {
                        PrepareForRetry(request, requestUri);
                    }

                    try
                    {
                        return Outcome.FromResult(await base.SendAsync(request, ctx.CancellationToken));
                    }
                    catch (Exception exception)
                    {
                        return Outcome.FromException<HttpResponseMessage>(exception);
                    }
                },
                context,
                state: (object?)null);

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static void PrepareForRetry(HttpRequestMessage request, Uri? requestUri)
    {
        request.RequestUri = requestUri;
        foreach (var header in DistributedContextPropagator.Current.Fields)
        {
            request.Headers.Remove(header);
        }
    }
}
