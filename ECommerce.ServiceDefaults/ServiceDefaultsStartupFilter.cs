using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ECommerce.ServiceDefaults;

/// <summary>
/// Puts the service defaults' middleware in front of everything the app adds itself (including the
/// authentication/authorization middleware that WebApplication adds on its own), so no call order
/// in Program.cs can leave an error unhandled.
/// </summary>
internal sealed class ServiceDefaultsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // Unhandled exceptions and empty 4xx/5xx responses become RFC 7807 problem details
        // (no stack traces; in Development the developer exception page still runs inside this).
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        next(app);
    };
}
