using System.Diagnostics;

namespace OrderingApi.Infrastructure;

/// <summary>The service's own spans, named after the application so the service defaults collect them.</summary>
internal static class OrderingTelemetry
{
    public static readonly ActivitySource Source = new("OrderingApi");
}
