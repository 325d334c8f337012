namespace Storefront.Model;

// ForecastWorker's answers (contracts: issue 6).

public sealed record HistoryPoint(DateOnly Date, double Units);

public sealed record ForecastPoint(DateOnly Date, double Mean, double Lower80, double Upper80, double Lower95, double Upper95);

public sealed record Forecast(
    int? VariantId, int? ProductId, long RunId, DateTimeOffset GeneratedAt, string Model, double? BacktestRmsse, bool ShortHistory, string? Note,
    IReadOnlyList<HistoryPoint> History, IReadOnlyList<ForecastPoint> Points);

public sealed record ModelScore(string Name, int Wins, double? MeanRmsse);

public sealed record ForecastRun(
    long Id, string Status, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, double? DurationSeconds, int Variants, double? MeanRmsse,
    IReadOnlyList<ModelScore>? Models);

public sealed record ReorderSuggestion(
    int VariantId, int ProductId, string ProductName, string Sku, IReadOnlyDictionary<string, string>? Options,
    int OnHand, int Available, double DailyDemand, int LeadTimeDays, double SafetyStock, double ReorderPoint, double? DaysOfCover,
    DateOnly? StockoutDate, int SuggestedQuantity);

public sealed record ReorderSuggestions(long? RunId, DateTimeOffset? GeneratedAt, double ServiceLevel, IReadOnlyList<ReorderSuggestion> Items);

public sealed record RestockEstimate(int VariantId, int Available, bool SoldOut, int? ExpectedInDays, DateOnly? ExpectedDate, string? Basis);
