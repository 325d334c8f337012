using System.Globalization;
using ECommerce.ServiceDefaults.Authentication.KeyRing;
using ECommerce.ServiceDefaults.Clients;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Localization;
using Microsoft.FluentUI.AspNetCore.Components;
using Storefront.Auth;
using Storefront.Services;

namespace Storefront.Extensions;

public static class Extensions
{
    /// <summary>The cultures money and dates are shown in, picked from the browser's Accept-Language.</summary>
    public static readonly string[] SupportedCultures = ["en-US", "en-GB", "de-DE", "fr-FR", "nl-NL", "es-ES", "it-IT", "sv-SE", "pl-PL"];

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // The prerendered page state (a shop page's results and facets) comes back from the browser when the circuit
        // starts: allow more than SignalR's 32 KB default for that message.
        services.AddRazorComponents()
            .AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = 512 * 1024)
            .RegisterPersistentService<FavouritesStore>(Microsoft.AspNetCore.Components.Web.RenderMode.InteractiveServer)
            .RegisterPersistentService<CompareStore>(Microsoft.AspNetCore.Components.Web.RenderMode.InteractiveServer);
        services.AddFluentUIComponents();

        // Carts of anonymous shoppers, sign-in sessions and live stock changes live in Redis.
        builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis);

        // Signed-in shoppers carry an encrypted, HttpOnly cookie: their id, email, roles and the id of the server-side
        // session holding their OrderingApi tokens (TokenStore). With keyringdb configured, the cookie keys are kept
        // in PostgreSQL (shared ring), so sign-ins survive restarts and work on every storefront instance.
        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString("keyringdb")))
        {
            services.AddDataProtection()
                .SetApplicationName("ECommerce.Storefront")
                .PersistKeysToPostgres();
        }
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = ".summit.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TokenStore.SessionLifetime;
                options.SlidingExpiration = true;
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/access-denied";
                options.Events.OnValidatePrincipal = async context =>
                {
                    // A sign-in whose tokens are gone (refresh refused, signed out elsewhere) ends here too.
                    var sessionId = context.Principal?.FindFirst(StorefrontClaims.SessionId)?.Value;
                    var store = context.HttpContext.RequestServices.GetRequiredService<TokenStore>();
                    if (sessionId is null || !await store.ExistsAsync(sessionId))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenStore>();
        services.AddScoped<UserSession>();
        services.AddScoped<AccountService>();
        services.AddHttpClient(TokenStore.IdentityClientName, client => client.BaseAddress = new("http://ordering-api"));

        // The backend services, addressed by service name: service discovery (ServiceDefaults) turns
        // http://catalog-api into the address configured as services:catalog-api:http:0, and so on.
        // Typed clients are resolved from the caller's scope, so they send that scope's user token (UserSession).
        services.AddHttpClient<CatalogClient>(client => client.BaseAddress = new("http://catalog-api"));
        services.AddHttpClient<OrderingClient>(client => client.BaseAddress = new("http://ordering-api"));
        services.AddHttpClient<ForecastClient>(client => client.BaseAddress = new("http://forecast-worker"));
        services.AddHttpClient<AssistantClient>(client => client.BaseAddress = new("http://assistant-api"));

        services.AddSingleton<StockEvents>();
        services.AddScoped<CartState>();
        services.AddScoped<FavouritesStore>();
        services.AddScoped<CompareStore>();
        services.AddScoped<PageContext>();

        services.AddOptions<ServiceStatusOptions>()
            .BindConfiguration(ServiceStatusOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<ServiceStatusChecker>();

        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = SupportedCultures.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture("en-GB");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
        });
    }
}
