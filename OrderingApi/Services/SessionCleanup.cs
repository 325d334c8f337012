using Microsoft.EntityFrameworkCore;
using OrderingApi.Infrastructure;

namespace OrderingApi.Services;

/// <summary>
/// Deletes sign-in sessions that can no longer be refreshed (expired or revoked for a day), every hour, so the table
/// holds live sessions only. Several instances may do it at once: the delete is idempotent.
/// </summary>
public sealed partial class SessionCleanup(IServiceScopeFactory scopeFactory, TimeProvider timeProvider, ILogger<SessionCleanup> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepEndedFor = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<IdentityContext>();
                var cutoff = timeProvider.GetUtcNow() - KeepEndedFor;
                var deleted = await db.Sessions
                    .Where(s => s.ExpiresAt < cutoff || s.RevokedAt < cutoff)
                    .ExecuteDeleteAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(deleted);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Deleted {Count} ended sign-in session(s)")]
    private partial void LogDeleted(int count);

    [LoggerMessage(LogLevel.Warning, "Deleting ended sign-in sessions failed; trying again in an hour")]
    private partial void LogFailed(Exception exception);
}
