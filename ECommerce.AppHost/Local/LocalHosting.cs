using System.Globalization;
using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace ECommerce.AppHost.Local;

/// <summary>How this AppHost runs on a developer's machine: its dashboard's address, the state file, the log files, restarts after a crash.</summary>
public static class LocalHosting
{
    /// <summary>Aspire's builder with the dashboard on plain http at the chosen ports (Aspire makes its sign-in token), the log files and the state file.</summary>
    public static IDistributedApplicationBuilder CreateBuilder(LocalMachine local)
    {
        string[] dashboard =
        [
            $"--ASPNETCORE_URLS={local.DashboardUrl}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{local.Port("dashboard-otlp")}",
            // Loopback only and no developer certificate needed: plain http, as the README says.
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            // A stop waits until DCP has stopped every resource (by default DCP finishes that after the AppHost exits):
            // --ephemeral deletes the data only once PostgreSQL and Redis are down, and nothing outlives ./run.sh.
            "--DcpPublisher:WaitForResourceCleanup=true",
        ];
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [.. dashboard, .. local.Options.Rest],
            DisableDashboard = local.Options.NoDashboard,
            AllowUnsecuredTransport = true,
        });
        builder.Services.AddSingleton(local);
        builder.Services.AddHostedService<ResourceLogFiles>();
        builder.Services.AddHostedService<CrashRestarter>();
        if (local.Options.Replicas > 1)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                ReferenceReplicas(e.Model, local);
                return Task.CompletedTask;
            });
        }
        if (local.Options.StateFile is not null)
        {
            builder.Services.AddHostedService<StateFileWriter>();
        }
        return builder;
    }

    /// <summary>
    /// A service of this solution on its port (no proxy in between: every call between services is one hop),
    /// healthy when its /health answers, with the environment and one-line console logs the README describes.
    /// With several replicas (<see cref="LocalMachine.Replicas"/>), see <see cref="WithLocalReplicas"/>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name, LocalMachine local)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name, launchProfileName: null).FromBuildOutput();
        service = local.Replicas(name) == 1
            ? service.WithHttpEndpoint(port: local.Port(name), targetPort: local.Port(name), isProxied: false)
            : service.WithLocalReplicas(local);
        return service
            .WithEndpoint("http", endpoint => endpoint.TargetHost = "127.0.0.1")
            .WithHttpHealthCheck("/health")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", local.Options.Environment)
            .WithEnvironment("DOTNET_ENVIRONMENT", local.Options.Environment)
            // Spans, logs and metrics reach the dashboard within a second (the SDK's defaults are 5 s and 60 s).
            .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "1000")
            .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "1000")
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000")
            .WithEnvironment("Logging__Console__FormatterName", "simple")
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true")
            .WithEnvironment("Logging__Console__FormatterOptions__TimestampFormat", "HH:mm:ss ");
    }

    /// <summary>
    /// N replicas (Aspire's <c>WithReplicas</c>). The service's port becomes DCP's proxy in front of them (for browsers, tools
    /// and tests; it balances per connection, so one pooled client mostly meets one replica), and each replica also listens on
    /// a port of its own (<see cref="LocalMachine.ReplicaPorts"/>), picked by its replica index when DCP starts it, so the
    /// same replica keeps the same address after a restart. The services that call it get every replica's own address
    /// (<c>services__NAME__http__0</c>, <c>__1</c>, ...: <see cref="ReferenceReplicas"/>), and service discovery takes them in turn
    /// (round robin) on every request.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithLocalReplicas(this IResourceBuilder<ProjectResource> service, LocalMachine local)
    {
        var name = service.Resource.Name;
        service.WithHttpEndpoint(port: local.Port(name)).WithReplicas(local.Replicas(name));
        var endpoint = service.GetEndpoint("http");
        // Aspire's own ASPNETCORE_URLS (the port DCP's proxy forwards to), and the replica's own port. DCP fills in both
        // per replica: the first through Aspire's expression, the second by a Go template on the replica's index.
        var ownPort = string.Concat(local.ReplicaPorts(name).Select((port, index) =>
            $"{{{{- {(index == 0 ? "if" : "else if")} eq (index .Annotations \"resource-replica-index\") \"{index}\" -}}}}{port}")) + "{{- end -}}";
        return service.WithEnvironment(context =>
        {
            var urls = new ReferenceExpressionBuilder();
            urls.Append($"http://127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)};http://127.0.0.1:");
            // Braces doubled: the expression's text goes through string.Format.
            urls.AppendLiteral(ownPort.Replace("{", "{{").Replace("}", "}}"));
            context.EnvironmentVariables["ASPNETCORE_URLS"] = urls.Build();
        });
    }

    /// <summary>
    /// Callers of a service with replicas get every replica's own address under the names service discovery reads
    /// (<c>services__NAME__http__0..N-1</c>) in place of the proxy's single one that <c>WithReference</c> gave. And the
    /// replicas of a service share its PostgreSQL connection budget: each one's pool holds at most 1/N of Npgsql's
    /// default 100, so N replicas put no more load on PostgreSQL than one did (on 2 cores, 200 connections contending
    /// for one row's lock time out where 100 queued in the pool and were served). Added just before the app starts,
    /// so it runs after every <c>WithReference</c>.
    /// </summary>
    private static void ReferenceReplicas(DistributedApplicationModel model, LocalMachine local)
    {
        foreach (var caller in model.Resources.OfType<ProjectResource>())
        {
            var replicas = local.Replicas(caller.Name);
            caller.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                foreach (var service in LocalMachine.ReplicatedServices.Where(s => local.Replicas(s) > 1))
                {
                    if (context.EnvironmentVariables.ContainsKey($"services__{service}__http__0"))
                    {
                        var ports = local.ReplicaPorts(service);
                        for (var i = 0; i < ports.Count; i++)
                        {
                            context.EnvironmentVariables[$"services__{service}__http__{i}"] = $"http://127.0.0.1:{ports[i]}";
                        }
                    }
                }
                if (replicas > 1)
                {
                    var poolSize = Math.Max(10, 100 / replicas).ToString(CultureInfo.InvariantCulture);
                    foreach (var (name, value) in context.EnvironmentVariables.ToList())
                    {
                        if (value is ConnectionStringReference { Resource: LocalPostgresDatabaseResource } database)
                        {
                            context.EnvironmentVariables[name] = ReferenceExpression.Create($"{database};Maximum Pool Size={poolSize}");
                        }
                    }
                }
            }));
        }
    }

    /// <summary>
    /// Runs the project's build output (its native app host, built with the AppHost's configuration) as the resource's process,
    /// instead of Aspire's default <c>dotnet run --no-build</c>: that keeps a <c>dotnet</c> CLI process above every service,
    /// costs a project evaluation at each start, and a crash of the wrapper leaves the service running without it.
    /// The AppHost never builds at start: without a build output, Aspire's default is kept.
    /// </summary>
    private static IResourceBuilder<ProjectResource> FromBuildOutput(this IResourceBuilder<ProjectResource> project)
    {
        var projectPath = project.Resource.GetProjectMetadata().ProjectPath;
        var projectDir = Path.GetDirectoryName(projectPath)!;
        var assembly = typeof(LocalHosting).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var targetFramework = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ServicesTargetFramework").Value!;
        var appHost = Path.Combine(projectDir, "bin", configuration, targetFramework, Path.GetFileNameWithoutExtension(projectPath));
        return File.Exists(appHost)
            ? project.WithAnnotation(new ExecutableAnnotation { Command = appHost, WorkingDirectory = projectDir }, ResourceAnnotationMutationBehavior.Replace)
            : project;
    }

    /// <summary>The first lines a developer reads: where the dashboard (with this run's sign-in token) and the shop are.</summary>
    public static void PrintEndpoints(this IDistributedApplicationBuilder builder, LocalMachine local)
    {
        if (!local.Options.NoDashboard)
        {
            Console.WriteLine($"dashboard        {local.DashboardUrl}/login?t={builder.Configuration["AppHost:BrowserToken"]}");
        }
        foreach (var name in local.Resources)
        {
            var port = local.Port(name);
            var replicas = local.ReplicaPorts(name) is { Count: > 0 } own ? $"  ({own.Count} replicas, each also on {string.Join(", ", own)})" : "";
            Console.WriteLine($"{name,-16} {(name is "postgres" or "redis" ? "tcp" : "http")}://127.0.0.1:{port}{replicas}");
        }
        Console.WriteLine($"Data in {local.Options.DataDir}. Ctrl+C stops everything.");
    }
}
