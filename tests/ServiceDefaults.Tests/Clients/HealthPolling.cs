using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServiceDefaults.Tests.Clients;

internal static class HealthPolling
{
    public static async Task<HealthReportEntry> CheckAsync(HealthCheckService health, string name)
    {
        var report = await health.CheckHealthAsync(registration => registration.Name == name, TestContext.Current.CancellationToken);
        return report.Entries[name];
    }

    /// <summary>Runs the named check until it reports <paramref name="expected"/>; returns how many runs that took.</summary>
    public static async Task<int> WaitForAsync(HealthCheckService health, string name, HealthStatus expected, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (true)
        {
            runs++;
            var entry = await CheckAsync(health, name);
            if (entry.Status == expected)
            {
                return runs;
            }

            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Check '{name}' still {entry.Status} ({entry.Description}) after {watch.Elapsed}, expected {expected}.");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
