using Microsoft.Extensions.Configuration;

namespace ECommerce.ServiceDefaults.Clients;

internal static class ConnectionStrings
{
    /// <summary>Reads <c>ConnectionStrings:{name}</c> (env: <c>ConnectionStrings__{name}</c>), as the AppHost sets it.</summary>
    public static string GetRequired(IConfiguration configuration, string connectionName) =>
        configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"Connection string '{connectionName}' is missing: set 'ConnectionStrings:{connectionName}' " +
                $"(env: ConnectionStrings__{connectionName}).");
}
