using System.Collections.Concurrent;
using System.Diagnostics;

namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>
/// Starts every child process from one long-lived thread. Children are started under
/// <c>setpriv --pdeathsig</c>, and Linux delivers that signal when the *thread* that forked the
/// child ends: a pool thread could end any time, this one lives as long as the process.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Result)> Requests = new();

    static ProcessLauncher()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "AppHost process launcher" };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, result));
        return result.Task;
    }

    private static void Loop()
    {
        foreach (var (info, result) in Requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
                result.SetResult(process);
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }
    }
}
