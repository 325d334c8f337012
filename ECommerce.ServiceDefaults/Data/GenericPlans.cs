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
    /// <summary>
    /// The first command of the transaction's first batch, or of a batch run without a transaction (PostgreSQL runs
    /// such a batch as one implicit transaction); it lasts until the transaction ends. set_config(..., true) is
    /// SET LOCAL, without SET LOCAL's warning in an implicit transaction; being a SELECT, it answers one row, which a
    /// reader steps past with NextResultAsync.
    /// </summary>
    public static NpgsqlBatchCommand ForTransaction() => new("SELECT set_config('plan_cache_mode', 'force_generic_plan', true)");
}
