using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECommerce.ServiceDefaults.Authentication.KeyRing;

/// <summary>
/// An <see cref="IXmlRepository"/> over one PostgreSQL table. The data-protection system reads the whole ring when
/// it (re)loads it (at first use, then about once a day) and stores each new key or revocation once.
/// The interface is synchronous, so are the calls here.
/// </summary>
internal sealed partial class PostgresXmlRepository(NpgsqlDataSource dataSource, ILogger<PostgresXmlRepository> logger) : IXmlRepository
{
    public const string TableName = "data_protection_keys";

    // Any constant that differs from the other advisory locks of the app (see KeyRingInitializer).
    private const long SchemaLockKey = 0x4543_4B52_0001; // "ECKR" 1

    private readonly Lock _schemaLock = new();
    private volatile bool _schemaReady;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureSchema();
        using var command = dataSource.CreateCommand($"SELECT xml FROM {TableName} ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        EnsureSchema();
        using var command = dataSource.CreateCommand(
            $"INSERT INTO {TableName} (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        var stored = command.ExecuteNonQuery() == 1;
        LogStored(friendlyName, stored);
    }

    /// <summary>Creates the table once per process; the transaction-level advisory lock makes concurrent creators wait.</summary>
    public void EnsureSchema()
    {
        if (_schemaReady)
        {
            return;
        }
        lock (_schemaLock)
        {
            if (_schemaReady)
            {
                return;
            }
            using var connection = dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using (var command = new NpgsqlCommand($"""
                SELECT pg_advisory_xact_lock({SchemaLockKey});
                CREATE TABLE IF NOT EXISTS {TableName} (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    friendly_name text NOT NULL UNIQUE,
                    xml text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                """, connection, transaction))
            {
                command.ExecuteNonQuery();
            }
            transaction.Commit();
            _schemaReady = true;
        }
    }

    [LoggerMessage(LogLevel.Information, "Data-protection key ring: stored {FriendlyName} (new: {Stored})")]
    private partial void LogStored(string friendlyName, bool stored);
}
