using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ECommerce.IntegrationTests.Dashboard;

/// <summary>Reading the dashboard's JSON API (/api/...) in tests.</summary>
internal static class DashboardJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<T> GetAsync<T>(HttpClient dashboard, string path, CancellationToken cancellationToken) =>
        await dashboard.GetFromJsonAsync<T>(path, Options, cancellationToken)
        ?? throw new InvalidOperationException($"{path} answered null.");

    /// <summary>The body, or null for a 404 (a trace that has not arrived yet).</summary>
    public static async Task<T?> FindAsync<T>(HttpClient dashboard, string path, CancellationToken cancellationToken) where T : class
    {
        using var response = await dashboard.GetAsync(path, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Options, cancellationToken);
    }
}

internal sealed record ResourceJson(string Name, string State, List<string> Urls, int? Pid, int Restarts);

internal sealed record TraceJson(string TraceId, List<SpanJson> Spans);

internal sealed record SpanJson(string SpanId, string? ParentSpanId, string Name, string Kind, string Resource, Dictionary<string, string> Attributes);

internal sealed record LogJson(long Id, string Resource, string Level, string Category, string Message, string? TraceId);

internal sealed record ConsoleJson(long Last, List<ConsoleLineJson> Lines);

internal sealed record ConsoleLineJson(long N, string Time, string Text, bool Error);

internal sealed record HttpMetricsJson(string Resource, double TotalRequests, double TotalErrors, double? P50Milliseconds, double? P95Milliseconds);
