using ECommerce.AppHost.Hosting;
using ECommerce.AppHost.Telemetry;

namespace ECommerce.AppHost.Dashboard;

/// <summary>What the pages read from: the running app and the received telemetry.</summary>
internal sealed class DashboardServices(DistributedApplication app, TelemetryStore telemetry, TelemetryIngestor ingestor)
{
    private const int Palette = 8;

    public DistributedApplication App { get; } = app;

    public TelemetryStore Telemetry { get; } = telemetry;

    public TelemetryIngestor Ingestor { get; } = ingestor;

    /// <summary>Set when the user sent the services' telemetry elsewhere (OTEL_EXPORTER_OTLP_ENDPOINT): then nothing arrives here.</summary>
    public string? ExternalOtlpEndpoint { get; } =
        Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } endpoint ? endpoint : null;

    public IReadOnlyList<string> ResourceNames => App.Resources.Select(r => r.Name).ToList();

    /// <summary>The services that send telemetry (every project resource).</summary>
    public IReadOnlyList<string> ServiceNames => App.Resources.Where(r => r.Urls.Any(u => u.StartsWith("http", StringComparison.Ordinal))).Select(r => r.Name).ToList();

    /// <summary>The resource listening at the URL's host and port, if any (HTTP spans carry addresses, not names).</summary>
    public string? ResourceAt(Uri url) =>
        App.Resources.FirstOrDefault(r => r.Urls.Any(u => Uri.TryCreate(u, UriKind.Absolute, out var own)
            && own.Port == url.Port && string.Equals(own.Host, url.Host, StringComparison.OrdinalIgnoreCase)))?.Name;

    /// <summary>A stable color class per resource (its place in the app model), the same on every page.</summary>
    public string ColorClass(string resource)
    {
        var names = ResourceNames;
        var index = -1;
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], resource, StringComparison.OrdinalIgnoreCase))
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            index = (int)((uint)StringComparer.Ordinal.GetHashCode(resource) % Palette);
        }
        return $"rc{index % Palette}";
    }
}
