using ECommerce.AppHost.Hosting.Runtime;

namespace ECommerce.AppHost.Hosting.Runners;

/// <summary>What the AppHost knows while it runs: options, where things live, secrets, the machine.</summary>
internal sealed record RunContext(AppHostOptions Options, Secrets Secrets, Prerequisites Prerequisites, ConsoleSink Sink)
{
    /// <summary>Where the services send their telemetry unless the user set OTEL_EXPORTER_OTLP_ENDPOINT: the dashboard.</summary>
    public OtlpTarget? Otlp { get; init; }

    public string DataDir => Options.DataDir;

    public string PidDir => Path.Combine(DataDir, "run");

    public string LogDir => Path.Combine(DataDir, "logs");
}

/// <summary>An OTLP/HTTP receiver and the API key it wants in the x-otlp-api-key header.</summary>
internal sealed record OtlpTarget(string Endpoint, string ApiKey);

/// <summary>How one kind of resource is prepared, started, probed and made ready.</summary>
internal abstract class ResourceRunner(RunnableResource resource)
{
    public RunnableResource Resource { get; } = resource;

    /// <summary>Prepares the resource (first-run set-up included) and says what to run.</summary>
    public abstract Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken);

    /// <summary>null: not answering yet; true: healthy; false: answering but unhealthy.</summary>
    public abstract Task<bool?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Runs every time the process first answers healthy, before dependants start.</summary>
    public virtual Task OnHealthyAsync(RunContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public static ResourceRunner For(RunnableResource resource) => resource switch
    {
        PostgresServerResource postgres => new PostgresRunner(postgres),
        RedisResource redis => new RedisRunner(redis),
        ProjectResource project => new ProjectRunner(project),
        _ => throw new NotSupportedException($"No runner for {resource.GetType().Name}."),
    };
}
