namespace ECommerce.AppHost.Local;

/// <summary>The programs from the OS packages the AppHost runs, found once at start.</summary>
public sealed record Prerequisites(string PostgresBinDir, string PostgresMajorVersion, string RedisServer)
{
    private const string Fix = "Install them with: sudo apt-get install -y postgresql redis-server (./run.sh and ./test.sh do this when run as root).";

    public static Prerequisites Find()
    {
        var missing = new List<string>();
        var postgresBin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0))
                .Where(candidate => File.Exists(Path.Combine(candidate.Dir, "postgres")) && File.Exists(Path.Combine(candidate.Dir, "initdb")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Dir)
                .FirstOrDefault()
            : null;
        postgresBin ??= OnPath("postgres") is { } onPath && File.Exists(Path.Combine(Path.GetDirectoryName(onPath)!, "initdb"))
            ? Path.GetDirectoryName(onPath)
            : null;
        if (postgresBin is null)
        {
            missing.Add("PostgreSQL server (postgres, initdb)");
        }
        var redis = OnPath("redis-server") ?? (File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null);
        if (redis is null)
        {
            missing.Add("redis-server");
        }
        if (OnPath("setpriv") is null)
        {
            missing.Add("setpriv (util-linux)");
        }
        if (missing.Count > 0)
        {
            throw new AppHostException($"Missing on this machine: {string.Join(", ", missing)}.", Fix);
        }
        var version = ReadMajorVersion(postgresBin!);
        return new Prerequisites(postgresBin!, version, redis!);
    }

    private static string ReadMajorVersion(string binDir)
    {
        // /usr/lib/postgresql/15/bin -> 15; otherwise ask the server.
        var parent = Path.GetFileName(Path.GetDirectoryName(binDir));
        if (int.TryParse(parent, out _))
        {
            return parent!;
        }
        var info = new System.Diagnostics.ProcessStartInfo(Path.Combine(binDir, "postgres"), "--version") { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var number = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return number.Split('.')[0].Trim();
    }

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

public static class PrerequisitesChecks
{
    /// <summary>A cluster made by another PostgreSQL major version cannot be started by this one: say so plainly.</summary>
    public static void CheckPostgresData(this Prerequisites prerequisites, string data)
    {
        var versionFile = Path.Combine(data, "PG_VERSION");
        if (File.Exists(versionFile) && File.ReadAllText(versionFile).Trim() is var version && version != prerequisites.PostgresMajorVersion)
        {
            throw new AppHostException(
                $"The PostgreSQL data in {data} was made by PostgreSQL {version}, but this machine has PostgreSQL {prerequisites.PostgresMajorVersion}.",
                $"Delete {Path.GetDirectoryName(Path.GetDirectoryName(data))} to start with fresh data, or run with --data-dir pointing elsewhere.");
        }
    }
}
