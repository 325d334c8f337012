using System.Globalization;
using System.Threading.RateLimiting;
using ECommerce.ServiceDefaults.Clients;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderingApi.Infrastructure;
using OrderingApi.Model;
using OrderingApi.Services;
using OrderingApi.Services.DemoHistory;
using OrderingApi.Services.Reviews;

namespace OrderingApi.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        // One data source (keyed "orderingdb": orders, sales, the demo history and start-up use it directly) under Identity's
        // DbContext too; EF Core retries transient failures a little (bounded). The data source's check covers the database.
        builder.AddKeyedNpgsqlDataSource("orderingdb", configureDataSourceBuilder: ClientDefaults.ConfigureNpgsql);
        builder.Services.AddDbContext<IdentityContext>((services, options) =>
            options.UseNpgsql(
                services.GetRequiredKeyedService<NpgsqlDataSource>("orderingdb"),
                npgsql => npgsql.EnableRetryOnFailure(ClientDefaults.DbContextMaxRetries, ClientDefaults.DbContextMaxRetryDelay, null)));
        builder.EnrichNpgsqlDbContext<IdentityContext>(settings =>
        {
            settings.DisableHealthChecks = true;
            settings.DisableRetry = true; // ours above: bounded, so a database that is down answers 503 fast
        });
        builder.AddRedisClient("redis", configureOptions: ClientDefaults.ConfigureRedis);

        builder.AddIdentity();
        builder.AddTokenIssuing();
        builder.AddCredentialRateLimiting();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddHostedService<SessionCleanup>();

        builder.AddOrdering();
    }

    /// <summary>Carts, checkout, orders, favourites, sales, the demo history and the search for sales without an order.</summary>
    private static void AddOrdering(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CartSettings>()
            .BindConfiguration(CartSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<DemoHistorySettings>()
            .BindConfiguration(DemoHistorySettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // catalog-api by service discovery, with the default resilience; reservation calls carry our own service token.
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<OwnServiceToken>();
        builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new Uri("http://catalog-api"));
        builder.Services.AddTransient<CartService>();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<PaymentGateway>();
        builder.Services.AddTransient<CheckoutService>();
        builder.Services.AddTransient<OrderService>();
        builder.Services.AddSingleton<SalesQueries>();
        builder.Services.AddTransient<ProductDirectory>();
        builder.Services.AddTransient<SalesAnalytics>();
        builder.Services.AddTransient<FavouritesService>();
        builder.Services.AddOptions<FavouriteStockSettings>()
            .BindConfiguration(FavouriteStockSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<FavouriteStockWatcher>();
        builder.Services.AddHostedService<DemoHistorySeeder>();
        builder.AddReviews();
        builder.Services.AddOptions<SaleReconcilerSettings>()
            .BindConfiguration(SaleReconcilerSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<SaleReconciler>();
    }

    /// <summary>Ratings and reviews, and the publisher that keeps the catalog's rating summaries in step.</summary>
    private static void AddReviews(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReviewStore>();
        builder.Services.AddSingleton<RatingPublisher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RatingPublisher>());
    }

    /// <summary>ASP.NET Core Identity without its cookies: users, roles, password hashing, lockout.</summary>
    private static void AddIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // The user name is the email, already checked as one; any character an email may hold is fine.
                options.User.AllowedUserNameCharacters = "";
                options.SignIn.RequireConfirmedAccount = false;

                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = true;
                options.Password.RequireNonAlphanumeric = false;

                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<IdentityContext>()
            .AddSignInManager();

        // appsettings / environment can change the rules above (Identity:Password:RequiredLength, Identity:Lockout:...).
        builder.Services.Configure<IdentityOptions>(options =>
        {
            builder.Configuration.GetSection("Identity:Password").Bind(options.Password);
            builder.Configuration.GetSection("Identity:Lockout").Bind(options.Lockout);
        });

        builder.Services.AddOptions<AdminAccountSettings>()
            .BindConfiguration(AdminAccountSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddScoped<SessionService>();
        builder.Services.AddScoped<PasswordTiming>();
    }

    /// <summary>OrderingApi issues the tokens every service validates: lifetimes here, service clients for background calls.</summary>
    private static void AddTokenIssuing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TokenSettings>()
            .BindConfiguration(TokenSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme)
            .Configure<IOptions<TokenSettings>>((bearer, tokens) =>
            {
                bearer.BearerTokenExpiration = tokens.Value.AccessTokenLifetime;
                bearer.RefreshTokenExpiration = tokens.Value.RefreshTokenLifetime;
            });

        builder.Services.AddOptions<Dictionary<string, ServiceClientSettings>>()
            .BindConfiguration(ServiceClientSettings.SectionName);
        builder.Services.AddSingleton<ServiceClientAuthenticator>();
        builder.Services.AddSingleton<ServiceTokenIssuer>();
    }

    /// <summary>
    /// A fixed window per client address on the endpoints that check a secret (against password guessing across
    /// accounts; lockout covers one account). Rejections are 429 problem details with Retry-After.
    /// </summary>
    private static void AddCredentialRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CredentialRateLimitSettings>()
            .BindConfiguration(CredentialRateLimitSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Trust X-Forwarded-For from the default known proxies (loopback): the storefront passes the shopper's address.
        builder.Services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.XForwardedFor);

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(CredentialRateLimitSettings.PolicyName, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<CredentialRateLimitSettings>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddress.PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : (int?)null;
                var http = context.HttpContext;
                if (retryAfter is not null)
                {
                    http.Response.Headers.RetryAfter = retryAfter.Value.ToString(CultureInfo.InvariantCulture);
                }
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many attempts",
                        Detail = retryAfter is null
                            ? "Too many sign-in attempts from this address. Wait a moment and try again."
                            : $"Too many sign-in attempts from this address. Try again in {retryAfter} seconds.",
                    },
                });
            };
        });
    }
}
