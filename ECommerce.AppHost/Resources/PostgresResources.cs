using ECommerce.AppHost.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// PostgreSQL from the OS packages as an executable resource (no container engine needed). It exposes its
/// connection string as Aspire's PostgreSQL integration does, so <c>WithReference(db)</c> gives a project
/// <c>ConnectionStrings__{db}</c>.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string UserName = "postgres";

    internal string Password { get; } = password;

    public EndpointReference Endpoint => field ??= new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.IPV4Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username={UserName};Password={Password}");

    internal List<LocalPostgresDatabaseResource> Databases { get; } = [];
}

/// <summary>A database of a <see cref="LocalPostgresResource"/>, created when the server is first ready.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public LocalPostgresResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

public static class LocalPostgresExtensions
{
    /// <summary>
    /// PostgreSQL on 127.0.0.1:<paramref name="port"/> with its cluster in DATA_DIR/postgres: initdb on the first
    /// start (in the resource, so its output is in its console), as the postgres user when the AppHost runs as root.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, LocalMachine local, int port)
    {
        var home = Path.Combine(local.Options.DataDir, "postgres");
        var data = Path.Combine(home, "data");
        var passwordFile = Path.Combine(home, "initdb.pw");
        Directory.CreateDirectory(home);
        local.Prerequisites.CheckPostgresData(data);
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            File.WriteAllText(passwordFile, local.Secrets.PostgresPassword);
            if (!OperatingSystem.IsWindows())
            {
                // Read by initdb only (as the postgres user once the folder is given to it), deleted right after.
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        // initdb when the cluster is not there yet (or never finished), then exec the server in its place.
        const string script = """
            set -e
            bin="$1"; data="$2"; pwfile="$3"; port="$4"; shift 4
            if [ ! -f "$data/PG_VERSION" ]; then
              rm -rf "$data"
              echo "Creating a PostgreSQL cluster in $data (first run)."
              "$bin/initdb" -D "$data" -U postgres --pwfile "$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions -N
            fi
            rm -f "$pwfile"
            exec "$bin/postgres" -D "$data" -p "$port" "$@"
            """;
        string[] serverArgs =
        [
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=300",
            "-c", "logging_collector=off",
            "-c", "log_line_prefix=%m [%p] ",
            // Throw-away data need not survive the machine crashing (no fsync), but a commit PostgreSQL acknowledged must
            // survive PostgreSQL itself being killed: synchronous_commit stays on, so the WAL reaches the OS at each commit
            // (with it off, the fault drill lost an order answered 201 when postgres was SIGKILLed).
            .. local.Options.Ephemeral
                ? (string[])["-c", "fsync=off", "-c", "full_page_writes=off"]
                : [],
        ];
        string[] shellArgs = ["-c", script, "postgres", local.Prerequisites.PostgresBinDir, data, passwordFile, port.ToString(), .. serverArgs];
        var (command, args) = RunAs.IsRoot
            ? RunAs.Command(LocalPostgresResource.UserName, home, "/bin/sh", shellArgs)
            : ("/bin/sh", shellArgs);

        var postgres = new LocalPostgresResource(name, command, home, local.Secrets.PostgresPassword);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => CanQueryAsync(postgres, "postgres", ct));

        builder.Eventing.Subscribe<ResourceReadyEvent>(postgres, async (ready, ct) =>
        {
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            var logger = ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(postgres);
            await CreateDatabasesAsync(postgres, logger, ct);
            foreach (var database in postgres.Databases)
            {
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running });
            }
        });

        return builder.AddResource(postgres)
            .WithArgs(args)
            .WithEndpoint(name: "tcp", port: port, targetPort: port, scheme: "tcp", isProxied: false)
            .WithEndpoint("tcp", endpoint => endpoint.TargetHost = "127.0.0.1")
            .WithHealthCheck(healthCheck);
    }

    /// <summary>A database on the server, created (if missing) once the server is ready; healthy when it answers.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresResource> server, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        var healthCheck = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => CanQueryAsync(server.Resource, database.DatabaseName, ct));
        return server.ApplicationBuilder.AddResource(database)
            .WithParentRelationship(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", database.DatabaseName)],
            })
            .WithHealthCheck(healthCheck);
    }

    private static string ServerConnectionString(LocalPostgresResource postgres, string database) =>
        $"Host=127.0.0.1;Port={postgres.Endpoint.Port};Username={LocalPostgresResource.UserName};Password={postgres.Password};Database={database};Pooling=false;Timeout=3;Command Timeout=3";

    private static async Task<HealthCheckResult> CanQueryAsync(LocalPostgresResource postgres, string database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ServerConnectionString(postgres, database));
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }

    private static async Task CreateDatabasesAsync(LocalPostgresResource postgres, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString(postgres, "postgres"));
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
                logger.LogInformation("Created database {Database}.", database.DatabaseName);
            }
        }
    }
}
