using ECommerce.AppHost.Hosting.Runtime;
using Npgsql;

namespace ECommerce.AppHost.Hosting.Runners;

/// <summary>
/// PostgreSQL from the OS packages: initdb on the first start (as the postgres user when the
/// AppHost runs as root), the server on 127.0.0.1 only, and every declared database created.
/// </summary>
internal sealed class PostgresRunner(PostgresServerResource postgres) : ResourceRunner(postgres)
{
    private const string PostgresUser = "postgres";

    public override async Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        var binDir = context.Prerequisites.PostgresBinDir;
        var home = Path.Combine(context.DataDir, "postgres");
        var data = Path.Combine(home, "data");
        Directory.CreateDirectory(home);
        postgres.Password = context.Secrets.PostgresPassword;

        var asRoot = Signals.IsRoot;
        if (asRoot)
        {
            Ownership.GiveTo(home, PostgresUser);
        }
        // When the data dir sits under a folder the postgres user cannot enter (say /root), the
        // server gets the one capability to pass through folders, not to read or write them.
        var user = asRoot ? PostgresUser : null;
        var passThrough = asRoot && !Ownership.CanTraverse(home, PostgresUser);

        var versionFile = Path.Combine(data, "PG_VERSION");
        if (File.Exists(versionFile))
        {
            var version = (await File.ReadAllTextAsync(versionFile, cancellationToken)).Trim();
            if (version != context.Prerequisites.PostgresMajorVersion)
            {
                throw new AppHostException(
                    $"The PostgreSQL data in {data} was made by PostgreSQL {version}, but this machine has PostgreSQL {context.Prerequisites.PostgresMajorVersion}.",
                    $"Delete {context.DataDir} to start with fresh data, or run with --data-dir pointing elsewhere.");
            }
        }
        else
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true); // an initdb that never finished
            }
            await InitDbAsync(context, binDir, home, data, user, passThrough, cancellationToken);
        }

        string[] args =
        [
            "-D", data,
            "-p", postgres.Port.ToString(),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=300",
            "-c", "logging_collector=off",
            "-c", "log_line_prefix=%m [%p] ",
            .. context.Options.Ephemeral
                ? (string[])["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
                : [],
        ];
        return new ProcessSpec(Path.Combine(binDir, "postgres"), args) { User = user, Capability = Capability(passThrough), StopSignal = Signals.SigInt };
    }

    private static string? Capability(bool passThrough) => passThrough ? "dac_read_search" : null;

    private async Task InitDbAsync(RunContext context, string binDir, string home, string data, string? user, bool passThrough, CancellationToken cancellationToken)
    {
        context.Sink.Info($"Creating a PostgreSQL cluster in {data} (first run).");
        var passwordFile = Path.Combine(home, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, postgres.Password, cancellationToken);
        if (user is not null)
        {
            Ownership.GiveTo(passwordFile, user);
        }
        try
        {
            var spec = new ProcessSpec(Path.Combine(binDir, "initdb"),
                ["-D", data, "-U", postgres.UserName, "--pwfile", passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions", "-N"])
            { User = user, Capability = Capability(passThrough) };
            var output = new List<string>();
            var initdb = await ChildProcess.StartAsync(postgres.Name + "-initdb", spec, context.PidDir, line => { lock (output) { output.Add(line.Text); } });
            int code;
            try
            {
                code = await initdb.Exited.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await initdb.StopAsync(TimeSpan.FromSeconds(5));
                throw;
            }
            if (code != 0)
            {
                throw new AppHostException($"initdb failed with exit code {code}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", output.TakeLast(15))}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    public override async Task<bool?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(postgres.GetConnectionString() + ";Pooling=false;Timeout=3;Command Timeout=3");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException e) when (e.SqlState is "57P03") // the database system is starting up
        {
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    public override async Task OnHealthyAsync(RunContext context, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(postgres.GetConnectionString() + ";Pooling=false;Timeout=5");
        await connection.OpenAsync(cancellationToken);
        foreach (var database in postgres.Databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.Add(new NpgsqlParameter { Value = database.DatabaseName });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // CREATE DATABASE takes no parameters; the name comes from the app model, quoted as an identifier.
                var quoted = "\"" + database.DatabaseName.Replace("\"", "\"\"") + "\"";
                await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
                context.Sink.Info($"Created database {database.DatabaseName}.");
            }
        }
    }
}
