using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace ECommerce.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Turns a URI that names a logical service into one that names a configured instance of it.
/// Endpoints come from configuration, read on every call so changes apply at once:
/// <c>services:{service}:{endpoint}:{index}</c>, e.g. <c>services__catalog-api__http__0=http://127.0.0.1:5123</c>.
/// Several instances of one endpoint are used in turn (round robin).
/// </summary>
internal sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, RoundRobinCounter> _counters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Returns the rewritten URI, or null when no endpoint is configured for the host
    /// (then the request goes to the host as it is, which keeps real host names working).
    /// </summary>
    public Uri? Resolve(Uri requestUri)
    {
        if (!requestUri.IsAbsoluteUri)
        {
            return null;
        }

        var service = ServiceName.Parse(requestUri);
        foreach (var endpointName in service.EndpointNames)
        {
            var addresses = ReadAddresses(service.Name, endpointName);
            if (addresses.Count == 0)
            {
                continue;
            }

            var counter = _counters.GetOrAdd($"{service.Name}/{endpointName}", static _ => new RoundRobinCounter());
            var address = addresses[counter.Next(addresses.Count)];
            return Combine(ParseAddress(address, endpointName, service.Name), requestUri);
        }

        return null;
    }

    private List<string> ReadAddresses(string serviceName, string endpointName)
    {
        var section = configuration.GetSection($"services:{serviceName}:{endpointName}");

        // Both "services:x:http=..." (one address) and "services:x:http:0=..." (a list) are accepted.
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return [section.Value];
        }

        return [.. section.GetChildren().Select(child => child.Value).OfType<string>().Where(value => value.Length > 0)];
    }

    private static Uri ParseAddress(string address, string endpointName, string serviceName)
    {
        if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        // "host:port" without a scheme: use the endpoint name when it is one.
        var scheme = endpointName is "https" ? "https" : "http";
        if (Uri.TryCreate($"{scheme}://{address}", UriKind.Absolute, out uri))
        {
            return uri;
        }

        throw new InvalidOperationException(
            $"The address '{address}' configured for service '{serviceName}' (endpoint '{endpointName}') is not a valid URI.");
    }

    /// <summary>The configured scheme, host, port (and base path, if any) with the request's path and query.</summary>
    private static Uri Combine(Uri endpoint, Uri requestUri)
    {
        var basePath = endpoint.AbsolutePath.TrimEnd('/');
        return new Uri($"{endpoint.GetLeftPart(UriPartial.Authority)}{basePath}{requestUri.PathAndQuery}");
    }

    private sealed class RoundRobinCounter
    {
        private int _next = -1;

        public int Next(int count) => (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
    }
}
