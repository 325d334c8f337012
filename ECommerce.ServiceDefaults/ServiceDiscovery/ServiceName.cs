namespace ECommerce.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// The logical service a request URI names, and the endpoint names to look up, in order of preference:
/// <list type="bullet">
/// <item><c>http://catalog-api</c>: service "catalog-api", endpoint "http".</item>
/// <item><c>https+http://catalog-api</c>: endpoint "https", else "http".</item>
/// <item><c>http://_grpc.catalog-api</c>: endpoint "grpc" (the scheme is then taken from the configured address).</item>
/// </list>
/// </summary>
internal sealed record ServiceName(string Name, IReadOnlyList<string> EndpointNames, bool IsExplicitEndpoint)
{
    public static ServiceName Parse(Uri uri)
    {
        var host = uri.Host;
        if (host.StartsWith('_') && host.IndexOf('.') is var dot and > 1 && dot < host.Length - 1)
        {
            return new ServiceName(host[(dot + 1)..], [host[1..dot]], IsExplicitEndpoint: true);
        }

        return new ServiceName(host, uri.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries), IsExplicitEndpoint: false);
    }
}
