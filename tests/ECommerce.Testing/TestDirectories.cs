using System.Diagnostics;

namespace ECommerce.Testing;

/// <summary>
/// Temporary folders for test runs, under /tmp/ecommerce-tests. Each records the PID of the test
/// process that made it, so folders of a test process that died are removed by the next run.
/// </summary>
public static class TestDirectories
{
    private const string OwnerFile = "owner.pid";

    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "ecommerce-tests");

    public static string Create(string purpose)
    {
        RemoveAbandoned();
        var dir = Path.Combine(Root, $"{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, OwnerFile), $"{Environment.ProcessId} {Process.GetCurrentProcess().StartTime.Ticks}");
        return dir;
    }

    public static void Delete(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void RemoveAbandoned()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }
        foreach (var dir in Directory.GetDirectories(Root))
        {
            var owner = Path.Combine(dir, OwnerFile);
            try
            {
                var parts = File.Exists(owner) ? File.ReadAllText(owner).Split(' ') : [];
                if (parts.Length == 2 && int.TryParse(parts[0], out var pid) && !IsAlive(pid, parts[1]))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (IOException)
            {
                // In use or already gone: leave it.
            }
        }
    }

    /// <summary>
    /// The owner still runs: same PID and start time. Another process computes a process's start
    /// time from its own reading of the boot time, a millisecond or so apart: compare within a second.
    /// </summary>
    private static bool IsAlive(int pid, string startTicks)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return long.TryParse(startTicks, out var ticks) && Math.Abs(process.StartTime.Ticks - ticks) < TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
