namespace ECommerce.AppHost.Hosting;

/// <summary>Fluent access to a declared resource, as in Aspire.</summary>
public interface IResourceBuilder<out T> where T : IResource
{
    T Resource { get; }

    DistributedApplicationBuilder ApplicationBuilder { get; }
}

internal sealed record ResourceBuilder<T>(T Resource, DistributedApplicationBuilder ApplicationBuilder) : IResourceBuilder<T>
    where T : IResource;

public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases.Add(database);
        return builder.ApplicationBuilder.AddResource(database);
    }

    /// <summary>Gives the process <c>ConnectionStrings__{name}</c>.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : RunnableResource
    {
        var target = source.Resource;
        builder.Resource.Environment.Add(($"ConnectionStrings__{target.Name}", target.GetConnectionString));
        return builder;
    }

    /// <summary>Gives the process <c>services__{name}__http__0</c>, the address service discovery resolves.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProjectResource> service)
        where T : RunnableResource
    {
        var target = service.Resource;
        builder.Resource.Environment.Add(($"services__{target.Name}__http__0", () => target.HttpUrl));
        return builder;
    }

    /// <summary>Starts this resource only once the other one is healthy (for a database: its server, with the database created).</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : RunnableResource
    {
        var server = dependency.Resource switch
        {
            RunnableResource runnable => runnable,
            IResourceWithConnectionString withConnection => withConnection.Server,
            var other => throw new InvalidOperationException($"{builder.Resource.Name} cannot wait for {other.Name}: it is not run by the AppHost."),
        };
        if (!builder.Resource.WaitsFor.Contains(server))
        {
            builder.Resource.WaitsFor.Add(server);
        }
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : RunnableResource
    {
        builder.Resource.Environment.Add((name, () => value));
        return builder;
    }

    /// <summary>A value known only once the app starts (a generated password, a port).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, Func<string> value)
        where T : RunnableResource
    {
        builder.Resource.Environment.Add((name, value));
        return builder;
    }
}
