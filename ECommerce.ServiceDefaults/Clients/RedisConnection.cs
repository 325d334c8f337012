using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ECommerce.ServiceDefaults.Clients;

internal static partial class RedisConnection
{
    /// <summary>Connects (without failing when Redis is down) and logs connection losses and recoveries.</summary>
    public static IConnectionMultiplexer Connect(ConfigurationOptions options, string connectionName, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(RedisConnection).FullName!);
        var multiplexer = ConnectionMultiplexer.Connect(options);

        multiplexer.ConnectionFailed += (_, args) => LogConnectionFailed(logger, connectionName, args.EndPoint?.ToString(), args.FailureType, args.Exception);
        multiplexer.ConnectionRestored += (_, args) => LogConnectionRestored(logger, connectionName, args.EndPoint?.ToString());

        if (!multiplexer.IsConnected)
        {
            LogStartedDisconnected(logger, connectionName);
        }

        return multiplexer;
    }

    [LoggerMessage(LogLevel.Warning, "Redis {ConnectionName}: connection to {EndPoint} lost ({FailureType})")]
    private static partial void LogConnectionFailed(ILogger logger, string connectionName, string? endPoint, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(LogLevel.Information, "Redis {ConnectionName}: connection to {EndPoint} restored")]
    private static partial void LogConnectionRestored(ILogger logger, string connectionName, string? endPoint);

    [LoggerMessage(LogLevel.Warning, "Redis {ConnectionName}: not reachable at start; reconnecting in the background")]
    private static partial void LogStartedDisconnected(ILogger logger, string connectionName);
}
