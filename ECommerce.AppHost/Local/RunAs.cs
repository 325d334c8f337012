using System.Diagnostics;

namespace ECommerce.AppHost.Local;

/// <summary>
/// Servers that refuse to run as root (PostgreSQL) run as their own OS user: their files are given to
/// it, and the command goes through setpriv, which execs the server (so DCP watches the server itself).
/// </summary>
public static class RunAs
{
    public static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>
    /// The command line that runs <paramref name="command"/> as <paramref name="user"/>. When the user cannot
    /// pass through a parent folder of <paramref name="home"/> (a data dir under /root or a private temp dir),
    /// the server gets the one capability to pass through folders, not to read or write them.
    /// </summary>
    public static (string Command, string[] Args) Command(string user, string home, string command, params string[] args)
    {
        GiveTo(home, user);
        string[] capability = Run("setpriv", "--reuid", user, "--regid", user, "--init-groups", "--", "test", "-x", home) == 0
            ? []
            : ["--inh-caps", "+dac_read_search", "--ambient-caps", "+dac_read_search"];
        return ("setpriv", ["--reuid", user, "--regid", user, "--init-groups", .. capability, "--", command, .. args]);
    }

    public static void GiveTo(string path, string user)
    {
        Run("chown", "-R", $"{user}:{user}", path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static int Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
