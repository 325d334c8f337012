using System.Net;
using System.Net.Sockets;

namespace ECommerce.AppHost.Local;

internal static class Ports
{
    /// <summary>
    /// Free ports for --random-ports, all held open until every one is picked, so none repeats.
    /// They are taken below the kernel's ephemeral range: a port the OS hands out with bind(0)
    /// comes from that range, where any outgoing connection may take it as its source port
    /// before the resource listens on it.
    /// </summary>
    public static int[] Free(int count)
    {
        var (low, high) = ListeningRange();
        var listeners = new List<TcpListener>();
        try
        {
            for (var attempt = 0; listeners.Count < count && attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(low, high + 1);
                if (listeners.Any(l => ((IPEndPoint)l.LocalEndpoint).Port == port))
                {
                    continue;
                }
                var listener = new TcpListener(IPAddress.Loopback, port);
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Dispose();
                }
            }
            while (listeners.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0); // the range is crowded: let the OS choose
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>10000 up to the start of the ephemeral range (32768 by default on Linux).</summary>
    private static (int Low, int High) ListeningRange()
    {
        var ephemeralStart = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(range[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }
        return ephemeralStart > 11000 ? (10000, ephemeralStart - 1) : (1024, 9999);
    }

    public static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
