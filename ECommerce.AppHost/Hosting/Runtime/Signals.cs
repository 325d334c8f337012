using System.Runtime.InteropServices;

namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>POSIX signals to children: .NET can only SIGKILL a process, servers want a polite stop.</summary>
internal static partial class Signals
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEuid() == 0;

    public static string Name(int signal) => signal switch
    {
        SigInt => "SIGINT",
        SigKill => "SIGKILL",
        _ => "SIGTERM",
    };
}
