namespace ECommerce.ServiceDefaults.Health;

/// <summary>Tags that decide which endpoint runs a health check.</summary>
public static class HealthTags
{
    /// <summary>The process is up: run by <c>/alive</c> (and by <c>/health</c>).</summary>
    public const string Live = "live";

    /// <summary>A dependency answers: run by <c>/health</c> only.</summary>
    public const string Ready = "ready";
}
