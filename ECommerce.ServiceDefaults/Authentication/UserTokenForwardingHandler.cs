using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ECommerce.ServiceDefaults.Authentication;

/// <summary>
/// Sends the current request's bearer token on an outgoing call, so the called service sees the same user with the
/// same rights (the assistant acting for a shopper, for instance). A request that already has an Authorization
/// header keeps it; outside a request, or for an anonymous caller, nothing is added.
/// </summary>
internal sealed class UserTokenForwardingHandler(IHttpContextAccessor httpContextAccessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null
            && httpContextAccessor.HttpContext?.Request.Headers[HeaderNames.Authorization].ToString() is { Length: > 0 } header
            && AuthenticationHeaderValue.TryParse(header, out var value)
            && string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(value.Parameter))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value.Parameter);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
