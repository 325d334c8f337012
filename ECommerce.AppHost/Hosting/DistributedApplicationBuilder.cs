namespace ECommerce.AppHost.Hosting;

/// <summary>Declares the resources of the app, as Aspire's IDistributedApplicationBuilder does.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(AppHostOptions options) => Options = options;

    public AppHostOptions Options { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    public IResourceBuilder<PostgresServerResource> AddPostgres(string name, int port = 15432) =>
        AddResource(new PostgresServerResource(name, port));

    public IResourceBuilder<RedisResource> AddRedis(string name, int port = 16379) =>
        AddResource(new RedisResource(name, port));

    public IResourceBuilder<ProjectResource> AddProject<TProject>(string name, int port)
        where TProject : IProjectMetadata, new() =>
        AddResource(new ProjectResource(name, new TProject(), port));

    /// <summary>A generated sign-in kept in the data dir (e.g. the first admin's).</summary>
    public IResourceBuilder<CredentialsResource> AddCredentials(string name, string email) =>
        AddResource(new CredentialsResource(name, $"{name}.json", email));

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    public DistributedApplication Build()
    {
        var app = new DistributedApplication(Options, _resources);
        DistributedApplication.TestingHook?.OnBuilt(app);
        return app;
    }
}
