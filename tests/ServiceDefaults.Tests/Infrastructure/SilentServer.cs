using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>Accepts TCP connections on 127.0.0.1 and never answers: a server that hangs, or a network that drops replies.</summary>
internal sealed class SilentServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly Task _acceptLoop;

    public SilentServer()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                _accepted.Add(await _listener.AcceptSocketAsync());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _acceptLoop;
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }
    }
}
