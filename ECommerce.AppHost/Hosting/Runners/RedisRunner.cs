using System.Net.Sockets;
using System.Text;
using ECommerce.AppHost.Hosting.Runtime;

namespace ECommerce.AppHost.Hosting.Runners;

/// <summary>redis-server from the OS packages, on 127.0.0.1 only, with a password and its data in the data dir.</summary>
internal sealed class RedisRunner(RedisResource redis) : ResourceRunner(redis)
{
    public override Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(context.DataDir, "redis");
        Directory.CreateDirectory(dir);
        redis.Password = context.Secrets.RedisPassword;
        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", redis.Port.ToString(),
            "--dir", dir,
            "--requirepass", redis.Password,
            "--daemonize", "no",
            "--logfile", "",
            // Carts live here: kept in an append-only file, synced every second (none for throw-away data).
            "--save", "",
            "--appendonly", context.Options.Ephemeral ? "no" : "yes",
            "--appendfsync", "everysec",
        ];
        return Task.FromResult(new ProcessSpec(context.Prerequisites.RedisServer, args));
    }

    public override async Task<bool?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", redis.Port, timeout.Token);
            var stream = client.GetStream();
            var command = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(redis.Password)}\r\n{redis.Password}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command), timeout.Token);
            var buffer = new byte[256];
            var received = new StringBuilder();
            while (!received.ToString().Contains("PONG") && !received.ToString().Contains("-ERR"))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            var reply = received.ToString();
            return reply.Contains("-LOADING") ? false : reply.Contains("+PONG");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}
