using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CatalogApi.Infrastructure;

/// <summary>
/// The service's own spans and metrics, named after the application ("CatalogApi") so ServiceDefaults collects them.
/// </summary>
internal static class CatalogTelemetry
{
    public const string Name = "CatalogApi";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "catalog.cache.lookups", description: "Catalog read-cache lookups, tagged with the layer that answered (memory, redis, database).");

    public static readonly Counter<long> Reservations = Meter.CreateCounter<long>(
        "catalog.reservations", description: "Reservation attempts, tagged with the outcome (reserved, insufficient, unknown).");

    public static readonly Counter<long> ReservationsExpired = Meter.CreateCounter<long>(
        "catalog.reservations.expired", description: "Reservations released by the sweeper because they expired.");
}
