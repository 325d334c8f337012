using System.Net;
using System.Security.Cryptography;
using ECommerce.AppHost.Hosting;
using ECommerce.AppHost.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ECommerce.AppHost.Dashboard;

/// <summary>
/// The developer dashboard and the OTLP/HTTP receiver, in the AppHost's process on two loopback
/// ports: the dashboard's (sign-in required) and the receiver's (API key required).
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>Aspire's dashboard ports: the UI on 18888, OTLP/HTTP on 18890.</summary>
    public const int DefaultPort = 18888;

    public const int DefaultOtlpPort = 18890;

    private readonly WebApplication _web;
    private readonly TelemetryIngestor _ingestor;

    private DashboardServer(WebApplication web, TelemetryIngestor ingestor, DashboardInfo info)
    {
        _web = web;
        _ingestor = ingestor;
        Info = info;
    }

    public DashboardInfo Info { get; }

    /// <summary>Binds both ports (free ones with --random-ports) and starts serving.</summary>
    public static async Task<DashboardServer> StartAsync(DistributedApplication app, bool randomPorts, Action<string> reportError, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var telemetry = new TelemetryStore(TelemetryLimits.FromEnvironment());
        var ingestor = new TelemetryIngestor(telemetry, reportError);
        var ports = new BoundPorts();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "ECommerce.AppHost.Dashboard",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, randomPorts ? 0 : DefaultPort, listen => ports.Dashboard = listen);
            kestrel.Listen(IPAddress.Loopback, randomPorts ? 0 : DefaultOtlpPort, listen => ports.Otlp = listen);
        });
        builder.Services.AddRoutingCore();
        var web = builder.Build();

        // The pipeline is complete before the start; the ports it needs are read once bound.
        var services = new DashboardServices(app, telemetry, ingestor);
        var auth = new DashboardAuth(token, () => ports.DashboardPort);
        web.Use((context, next) => GuardAsync(context, next, auth, ports, reportError));
        new OtlpReceiver(ingestor, apiKey).Map(web);
        DashboardEndpoints.Map(web, services, auth, reportError);

        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await web.DisposeAsync();
            await ingestor.DisposeAsync();
            throw new AppHostException(
                $"The dashboard cannot listen on ports {DefaultPort} and {DefaultOtlpPort}: {e.Message}. Is the app already running?",
                "Stop whatever listens there (ss -ltnp shows it), or run with --random-ports (or --no-dashboard).");
        }

        var info = new DashboardInfo($"http://127.0.0.1:{ports.DashboardPort}", token, $"http://127.0.0.1:{ports.OtlpPort}", apiKey);
        return new DashboardServer(web, ingestor, info);
    }

    /// <summary>
    /// Before any endpoint: each port serves only its own paths; the dashboard's answers only to
    /// loopback host names, wants a signed-in user and, for anything that changes state, a request
    /// from its own pages.
    /// </summary>
    private static async Task GuardAsync(HttpContext context, RequestDelegate next, DashboardAuth auth, BoundPorts ports, Action<string> reportError)
    {
        var request = context.Request;
        var onOtlpPort = context.Connection.LocalPort == ports.OtlpPort;
        if (onOtlpPort != OtlpReceiver.IsOtlpPath(request.Path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (onOtlpPort)
        {
            await next(context);
            return;
        }

        if (!RequestGuards.IsLoopbackHost(request.Host))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        RequestGuards.AddSecurityHeaders(context.Response);
        if (!DashboardAuth.IsPublic(request.Path) && !auth.IsSignedIn(request))
        {
            await DashboardAuth.ChallengeAsync(context);
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !RequestGuards.IsSameOrigin(request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Cross-site request refused.");
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            reportError($"Dashboard: {request.Method} {request.Path} failed: {e}");
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync($"The dashboard failed on this page: {e.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _web.StopAsync(timeout.Token);
        await _web.DisposeAsync();
        await _ingestor.DisposeAsync();
    }

    /// <summary>The two listeners; Kestrel fills in the real port of a port-0 listener once bound.</summary>
    private sealed class BoundPorts
    {
        public ListenOptions? Dashboard { get; set; }

        public ListenOptions? Otlp { get; set; }

        public int DashboardPort => Dashboard?.IPEndPoint?.Port ?? 0;

        public int OtlpPort => Otlp?.IPEndPoint?.Port ?? 0;
    }
}
