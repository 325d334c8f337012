using ECommerce.AppHost.Hosting.Runtime;

namespace ECommerce.AppHost.Hosting.Runners;

/// <summary>
/// A service of this solution, run from the build output of the AppHost's own configuration
/// (never rebuilt at start), with its configuration given under Aspire's names.
/// </summary>
internal sealed class ProjectRunner(ProjectResource project) : ResourceRunner(project)
{
    // No trace context on the probes: a service records no span for a probe that starts no trace.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { Timeout = TimeSpan.FromSeconds(3) };

    public override Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        var target = project.Project.TargetPath;
        if (!File.Exists(target))
        {
            throw new AppHostException(
                $"{project.Name} has not been built: {target} is missing (the AppHost never builds at start).",
                "Build the solution first: dotnet build -c Release (or run ./run.sh, which builds and starts).");
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = project.HttpUrl,
            ["ASPNETCORE_ENVIRONMENT"] = context.Options.Environment,
            ["DOTNET_ENVIRONMENT"] = context.Options.Environment,
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={project.Name}-{project.Port}",
            ["DOTNET_NOLOGO"] = "1",
            // One line per log entry: readable behind the resource's name on the AppHost console.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss ",
        };
        if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        }
        else if (context.Otlp is { } dashboard)
        {
            // To the dashboard's receiver, as Aspire does in development: HTTP/protobuf with its key,
            // and exports every second (instead of 5 s for spans and logs, 60 s for metrics).
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.Endpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            environment["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={dashboard.ApiKey}";
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        }
        foreach (var (name, value) in project.Environment)
        {
            environment[name] = value();
        }

        var spec = new ProcessSpec("dotnet", [target])
        {
            WorkingDirectory = Path.GetDirectoryName(project.Project.ProjectPath),
            Environment = environment,
        };
        return Task.FromResult(spec);
    }

    public override async Task<bool?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync($"{project.HttpUrl}/health", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
