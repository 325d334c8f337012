namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>
/// PID files under DATA_DIR/run: a child that outlived an earlier AppHost (which cannot happen
/// while the parent-death signal works, but a machine is a machine) is stopped before a new start.
/// A file records the PID and the process's start time, so a recycled PID is never killed.
/// </summary>
internal static class LeftoverProcesses
{
    public static void Record(string pidFile, int pid, int stopSignal) =>
        File.WriteAllText(pidFile, $"{pid} {StartTime(pid)} {stopSignal}");

    /// <summary>Stops every recorded process that still runs; returns a line per process stopped.</summary>
    public static async Task<IReadOnlyList<string>> StopAllAsync(string pidDir)
    {
        var stopped = new List<string>();
        if (!Directory.Exists(pidDir))
        {
            return stopped;
        }
        foreach (var file in Directory.GetFiles(pidDir, "*.pid"))
        {
            var parts = File.ReadAllText(file).Split(' ');
            if (parts.Length == 3 && int.TryParse(parts[0], out var pid) && int.TryParse(parts[2], out var signal)
                && StartTime(pid) is { } started && started == parts[1])
            {
                Signals.Send(pid, signal);
                for (var i = 0; i < 50 && IsRunning(pid); i++)
                {
                    await Task.Delay(100);
                }
                if (IsRunning(pid))
                {
                    Signals.Send(pid, Signals.SigKill);
                }
                stopped.Add($"Stopped {Path.GetFileNameWithoutExtension(file)} (pid {pid}) left running by an earlier AppHost.");
            }
            File.Delete(file);
        }
        return stopped;
    }

    /// <summary>Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.</summary>
    public static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may contain spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[19];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Running, and not a zombie waiting for its parent to reap it.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
