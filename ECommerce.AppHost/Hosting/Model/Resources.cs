namespace ECommerce.AppHost.Hosting;

/// <summary>Something the app model declares: a server, a database, a project.</summary>
public interface IResource
{
    string Name { get; }
}

public abstract class Resource(string name) : IResource
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

/// <summary>A resource other resources can connect to with a connection string.</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>The resource that must be healthy before the connection string works.</summary>
    RunnableResource Server { get; }

    /// <summary>Available once ports and secrets are assigned, when the app starts.</summary>
    string GetConnectionString();
}

/// <summary>A resource the AppHost runs as a child process, on one port of its own.</summary>
public abstract class RunnableResource(string name, int defaultPort) : Resource(name)
{
    /// <summary>The port used unless the app runs with --random-ports.</summary>
    public int DefaultPort { get; } = defaultPort;

    /// <summary>The port in use; assigned when the app starts.</summary>
    public int Port { get; internal set; }

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<RunnableResource> WaitsFor { get; } = [];

    /// <summary>Environment variables given to the process, evaluated at start.</summary>
    public List<(string Name, Func<string> Value)> Environment { get; } = [];

    public virtual IReadOnlyList<string> Urls => [];
}

public sealed class PostgresServerResource(string name, int defaultPort) : RunnableResource(name, defaultPort), IResourceWithConnectionString
{
    public List<PostgresDatabaseResource> Databases { get; } = [];

    public string UserName => "postgres";

    /// <summary>Generated on the first run and kept in the data directory.</summary>
    public string Password { get; internal set; } = "";

    RunnableResource IResourceWithConnectionString.Server => this;

    public override IReadOnlyList<string> Urls => [$"tcp://127.0.0.1:{Port}"];

    public string GetConnectionString() => GetConnectionString("postgres");

    public string GetConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={UserName};Password={Password};Database={database}";
}

public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : Resource(name), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Parent { get; } = parent;

    RunnableResource IResourceWithConnectionString.Server => Parent;

    public string GetConnectionString() => Parent.GetConnectionString(DatabaseName);
}

public sealed class RedisResource(string name, int defaultPort) : RunnableResource(name, defaultPort), IResourceWithConnectionString
{
    /// <summary>Generated on the first run and kept in the data directory.</summary>
    public string Password { get; internal set; } = "";

    RunnableResource IResourceWithConnectionString.Server => this;

    public override IReadOnlyList<string> Urls => [$"tcp://127.0.0.1:{Port}"];

    public string GetConnectionString() => $"127.0.0.1:{Port},password={Password}";
}

/// <summary>A .NET project of this solution, started from its build output.</summary>
public sealed class ProjectResource(string name, IProjectMetadata project, int defaultPort) : RunnableResource(name, defaultPort)
{
    public IProjectMetadata Project { get; } = project;

    public string HttpUrl => $"http://127.0.0.1:{Port}";

    public override IReadOnlyList<string> Urls => [HttpUrl];
}

/// <summary>Generated per project reference of the AppHost (see ECommerce.AppHost.csproj).</summary>
public interface IProjectMetadata
{
    /// <summary>Full path of the .csproj.</summary>
    string ProjectPath { get; }

    /// <summary>Full path of the built assembly for the AppHost's own build configuration.</summary>
    string TargetPath { get; }
}
