using Microsoft.AspNetCore.HttpOverrides;

namespace OrderingApi.Services;

/// <summary>
/// Who "a client" is for rate limiting: the caller's IP address. A request that comes through a trusted proxy (by
/// default only loopback, e.g. the storefront on this machine) is counted under the address in its
/// <c>X-Forwarded-For</c> header, i.e. the shopper's own, not the proxy's. Configure
/// <see cref="ForwardedHeadersOptions"/> for proxies elsewhere.
/// </summary>
public static class ClientAddress
{
    public static string PartitionKey(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
