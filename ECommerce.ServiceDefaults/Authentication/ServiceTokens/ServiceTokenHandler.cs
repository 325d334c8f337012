using System.Net;
using System.Net.Http.Headers;

namespace ECommerce.ServiceDefaults.Authentication.ServiceTokens;

/// <summary>
/// Sends this service's own token on a client's requests (background work that acts for no user).
/// On a 401 it gets a fresh token and tries once more, when the request can be sent again (no body).
/// </summary>
internal sealed class ServiceTokenHandler(ServiceTokenClient tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is not null)
        {
            return response;
        }

        tokens.Invalidate(token);
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
