using System.ComponentModel.DataAnnotations;

namespace CatalogApi;

/// <summary>Settings of the catalog service (section <c>Catalog</c>).</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Seed the sample sports and outdoor catalog into an empty catalogdb at start-up.</summary>
    public bool SeedSampleCatalog { get; set; } = true;

    /// <summary>
    /// The size of the sample catalog: the hand-made products (192) always, plus generated ones (deterministic, across
    /// the same categories and brands) up to this many in all. 0 seeds the hand-made ones alone.
    /// </summary>
    [Range(0, 1_000_000)]
    public int SeedProducts { get; set; }

    /// <summary>
    /// Put in front of image paths (<c>/api/catalog/products/12/images/red.svg</c>) in responses; empty keeps them
    /// relative to this service.
    /// </summary>
    public string ImageBaseUrl { get; set; } = "";

    /// <summary>How often the sweeper releases expired reservations.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReservationSweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lifetime of a reservation when the request names none.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int DefaultReservationSeconds { get; set; } = 15 * 60;

    /// <summary>The longest lifetime a reservation may be given (or extended to) in one request.</summary>
    [Range(1, 30 * 24 * 3600)]
    public int MaxReservationSeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>How long a read stays in this instance's memory (it is also dropped at every change).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MemoryCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a read stays in Redis (it is also dropped at every change).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RedisCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a Redis call may take before a read goes to PostgreSQL instead.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
}
