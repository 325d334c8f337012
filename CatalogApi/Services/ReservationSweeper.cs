using Microsoft.Extensions.Options;

namespace CatalogApi.Services;

/// <summary>
/// Releases expired reservations every <see cref="CatalogOptions.ReservationSweepInterval"/>. Safe with several
/// instances sweeping at once (each takes its batch with SKIP LOCKED). A failed sweep (PostgreSQL down) is logged and
/// tried again at the next tick; it never stops the service.
/// </summary>
public sealed partial class ReservationSweeper(
    IServiceScopeFactory scopeFactory,
    IOptions<CatalogOptions> options,
    ILogger<ReservationSweeper> logger) : BackgroundService
{
    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReservationSweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var reservations = scope.ServiceProvider.GetRequiredService<ReservationService>();
                while (await reservations.ExpireDueAsync(BatchSize, stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Releasing expired reservations failed; trying again at the next sweep")]
    private partial void LogSweepFailed(Exception exception);
}
