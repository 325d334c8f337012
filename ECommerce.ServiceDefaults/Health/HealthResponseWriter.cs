using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ECommerce.ServiceDefaults.Health;

/// <summary>
/// Writes a health report as JSON: overall status, total duration and one entry per check.
/// Exception details are only included in Development: /health is anonymous.
/// </summary>
internal static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var showErrors = context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment();

        var response = new HealthResponse(
            report.Status,
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            [.. report.Entries.Select(entry => new HealthCheckResponse(
                entry.Key,
                entry.Value.Status,
                entry.Value.Description,
                Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                showErrors ? entry.Value.Exception?.Message : null))]);

        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, response, JsonOptions, context.RequestAborted);
    }

    private sealed record HealthResponse(HealthStatus Status, double TotalDurationMs, IReadOnlyList<HealthCheckResponse> Checks);

    private sealed record HealthCheckResponse(string Name, HealthStatus Status, string? Description, double DurationMs, string? Error);
}
