using System.Diagnostics;

namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>File ownership for servers that run as their own OS user (PostgreSQL as postgres).</summary>
internal static class Ownership
{
    public static void GiveTo(string path, string user)
    {
        Run("chown", "-R", $"{user}:{user}", path);
        if (Directory.Exists(path) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Whether the user can reach the folder through all its parents.</summary>
    public static bool CanTraverse(string path, string user) =>
        Run("setpriv", "--reuid", user, "--regid", user, "--init-groups", "--", "test", "-x", path) == 0;

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
