namespace ECommerce.ServiceDefaults.Telemetry;

/// <summary>The built-in ActivitySources and Meters we subscribe to (there are no Instrumentation.* packages here).</summary>
internal static class TelemetryNames
{
    public static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        "StackExchange.Redis", // 1.2.6 emits nothing yet; kept so an upgrade is traced without changes here.
        "ECommerce.Authentication", // the shared key ring's start-up (Authentication/KeyRing)
    ];

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.AspNetCore.Identity",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
        "Npgsql",
        "Microsoft.EntityFrameworkCore",
    ];
}
