using Microsoft.Extensions.Logging;

namespace ECommerce.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Sends requests for logical service names (<c>http://catalog-api/...</c>) to a configured instance.
/// Hosts with no configured endpoint are left alone (so real host names keep working), except that a
/// scheme list such as <c>https+http</c> becomes its first scheme, since no transport understands it,
/// and that the <c>_endpoint.service</c> form, which can only be a logical name, fails with a clear message.
/// </summary>
internal sealed partial class ServiceDiscoveryHandler(ServiceEndpointResolver resolver, ILogger<ServiceDiscoveryHandler> logger)
    : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } original)
        {
            request.RequestUri = Rewrite(original);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private Uri Rewrite(Uri original)
    {
        if (resolver.Resolve(original) is { } resolved)
        {
            LogResolved(original.Host, resolved.GetLeftPart(UriPartial.Authority));
            return resolved;
        }

        var service = ServiceName.Parse(original);
        if (service.IsExplicitEndpoint)
        {
            // "_http.catalog-api" can only be a logical name: failing here says more than a DNS error would.
            // A configuration error, not a transient one: the resilience handler does not retry it.
            throw new InvalidOperationException(
                $"No endpoint is configured for service '{service.Name}' (endpoint '{service.EndpointNames[0]}'). " +
                $"Set 'services:{service.Name}:{service.EndpointNames[0]}:0' (env: services__{service.Name}__{service.EndpointNames[0]}__0).");
        }

        if (service.EndpointNames.Count > 1)
        {
            return new UriBuilder(original) { Scheme = service.EndpointNames[0], Port = original.IsDefaultPort ? -1 : original.Port }.Uri;
        }

        return original;
    }

    [LoggerMessage(LogLevel.Debug, "Resolved service {ServiceName} to {Endpoint}")]
    private partial void LogResolved(string serviceName, string endpoint);
}
