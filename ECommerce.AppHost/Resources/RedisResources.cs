using System.Net.Sockets;
using System.Text;
using ECommerce.AppHost.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// redis-server from the OS packages as an executable resource, with the connection string Aspire's Redis
/// integration gives (<c>host:port,password=...</c>), so <c>WithReference(redis)</c> gives <c>ConnectionStrings__redis</c>.
/// </summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal string Password { get; } = password;

    public EndpointReference Endpoint => field ??= new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Endpoint.Property(EndpointProperty.IPV4Host)}:{Endpoint.Property(EndpointProperty.Port)},password={Password}");
}

public static class LocalRedisExtensions
{
    /// <summary>redis-server on 127.0.0.1:<paramref name="port"/> with a password and its data in DATA_DIR/redis.</summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, LocalMachine local, int port)
    {
        var dir = Path.Combine(local.Options.DataDir, "redis");
        Directory.CreateDirectory(dir);
        var redis = new LocalRedisResource(name, local.Prerequisites.RedisServer, dir, local.Secrets.RedisPassword);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => PingAsync(port, redis.Password, ct));
        return builder.AddResource(redis)
            .WithArgs(
                "--bind", "127.0.0.1",
                "--port", port.ToString(),
                "--dir", dir,
                "--requirepass", redis.Password,
                "--daemonize", "no",
                "--logfile", "",
                // Carts live here: kept in an append-only file, synced every second (none for throw-away data).
                "--save", "",
                "--appendonly", local.Options.Ephemeral ? "no" : "yes",
                "--appendfsync", "everysec")
            .WithEndpoint(name: "tcp", port: port, targetPort: port, scheme: "tcp", isProxied: false)
            .WithEndpoint("tcp", endpoint => endpoint.TargetHost = "127.0.0.1")
            .WithHealthCheck(healthCheck);
    }

    /// <summary>AUTH and PING over the Redis protocol: healthy on +PONG (not while it is still loading its data).</summary>
    private static async Task<HealthCheckResult> PingAsync(int port, string password, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            var command = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(password)}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command), timeout.Token);
            var buffer = new byte[256];
            var received = new StringBuilder();
            while (!received.ToString().Contains("PONG") && !received.ToString().Contains("-ERR") && !received.ToString().Contains("-LOADING"))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            var reply = received.ToString();
            return reply.Contains("+PONG") ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"Redis answered: {reply.Trim()}");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
