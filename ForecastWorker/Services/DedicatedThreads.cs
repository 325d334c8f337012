namespace ForecastWorker.Services;

/// <summary>
/// Runs CPU-bound work on threads of its own, so that a long forecast run never occupies the thread pool that serves
/// the API's requests (on a 2-core machine the pool starts with two threads).
/// </summary>
public static class DedicatedThreads
{
    /// <summary>Calls <paramref name="body"/> for 0..count-1 on up to <paramref name="degree"/> threads; completes when all are done.</summary>
    public static Task ForEachAsync(int count, int degree, Action<int> body, CancellationToken cancellationToken)
    {
        if (count == 0) return Task.CompletedTask;
        var threads = Math.Clamp(degree, 1, count);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = -1;
        var running = threads;
        Exception? failure = null;

        void Work()
        {
            try
            {
                int i;
                while (Volatile.Read(ref failure) is null && !cancellationToken.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < count)
                {
                    body(i);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
            if (Interlocked.Decrement(ref running) == 0)
            {
                if (failure is not null) completion.SetException(failure);
                else if (cancellationToken.IsCancellationRequested) completion.SetCanceled(cancellationToken);
                else completion.SetResult();
            }
        }

        for (var t = 0; t < threads; t++)
        {
            new Thread(Work) { IsBackground = true, Name = $"forecast fit {t + 1}", Priority = ThreadPriority.BelowNormal }.Start();
        }
        return completion.Task;
    }
}
