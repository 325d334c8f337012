using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ForecastWorker.Services;

/// <summary>
/// The background loop: every <see cref="ScheduleSettings.PollInterval"/> (and at once when <see cref="Wake"/> is
/// called, e.g. after an admin asked for a run) it lets the <see cref="ForecastRunner"/> do whatever is due.
/// </summary>
public sealed partial class ForecastScheduler(
    ForecastRunner runner,
    IOptions<ForecastingSettings> options,
    TimeProvider timeProvider,
    ILogger<ForecastScheduler> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Looks for due work now instead of at the next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var processStartedAt = timeProvider.GetUtcNow();
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runner.RunDueAsync(processStartedAt, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // e.g. forecastdb unreachable for a moment: try again at the next poll.
                LogLoopFailed(e);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(options.Value.Schedule.PollInterval);
            try
            {
                await _wake.Reader.WaitToReadAsync(wait.Token);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The poll interval passed.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Forecast scheduling failed; trying again at the next poll")]
    private partial void LogLoopFailed(Exception exception);
}
