using Npgsql;

namespace ECommerce.ServiceDefaults.Data;

/// <summary>
/// For hot transactions whose statements were written to have one index-driven plan (lookups by id arrays, arrays
/// unnested without joins): they run on PostgreSQL's cached generic plans. Without it PostgreSQL plans every call
/// again, because for <c>= ANY (@ids)</c> or <c>unnest(@array)</c> a plan made for the actual array (one or two
/// elements) always looks cheaper than the generic one (estimated for ten or a hundred).
/// </summary>
public static class GenericPlans
{
    /// <summary>The first command of the transaction's first batch (it lasts until the transaction ends).</summary>
    public static NpgsqlBatchCommand ForTransaction() => new("SET LOCAL plan_cache_mode = force_generic_plan");
}
