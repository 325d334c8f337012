namespace ForecastWorker.Model;

// Shapes of /api/forecasts (see the contracts in the README) and of the calls the worker makes.

public sealed record HistoryPoint(DateOnly Date, int Units);

public sealed record ForecastPoint(DateOnly Date, double Mean, double Lower80, double Upper80, double Lower95, double Upper95);

/// <summary>A variant's forecast (or a product's, summed over its variants with model "sum").</summary>
public sealed record ForecastResponse(
    int? VariantId,
    int ProductId,
    long RunId,
    DateTimeOffset GeneratedAt,
    string Model,
    double? BacktestRmsse,
    bool ShortHistory,
    string? Note,
    IReadOnlyList<HistoryPoint> History,
    IReadOnlyList<ForecastPoint> Points);

public sealed record ModelSummary(string Name, int Wins, double? MeanRmsse);

public sealed record RunResponse(
    long Id,
    string Status,
    string Trigger,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    double? DurationSeconds,
    DateOnly? ForecastStart,
    int Horizon,
    int Variants,
    double? MeanRmsse,
    int Attempts,
    string? Error,
    IReadOnlyList<ModelSummary> Models);

public sealed record RunAccepted(long Id, string Status);

public sealed record ReorderSuggestion(
    int VariantId,
    int ProductId,
    string ProductName,
    string Sku,
    IReadOnlyDictionary<string, string> Options,
    int OnHand,
    int Available,
    double DailyDemand,
    int LeadTimeDays,
    int SafetyStock,
    int ReorderPoint,
    double? DaysOfCover,
    DateOnly? StockoutDate,
    int SuggestedQuantity);

public sealed record ReorderSuggestions(long RunId, DateTimeOffset GeneratedAt, double ServiceLevel, IReadOnlyList<ReorderSuggestion> Items);

public sealed record RestockEstimateResponse(int VariantId, int Available, bool SoldOut, int? ExpectedInDays, DateOnly? ExpectedDate, string Basis);

/// <summary>OrderingApi's <c>GET /api/sales/daily</c>.</summary>
public sealed record DailySales(DateOnly From, DateOnly To, IReadOnlyList<VariantDailySales> Variants);

public sealed record VariantDailySales(int VariantId, int[] Units);

/// <summary>CatalogApi's <c>GET /api/stock/levels</c>.</summary>
public sealed record StockLevelPage(IReadOnlyList<StockLevel> Items, int Total, int Page, int PageSize);

public sealed record StockLevel(
    int VariantId,
    int ProductId,
    string ProductName,
    string Sku,
    IReadOnlyDictionary<string, string> Options,
    int OnHand,
    int Reserved,
    int Available,
    int ReorderPoint,
    int LeadTimeDays,
    bool Archived,
    DateTimeOffset? CreatedAt = null);
