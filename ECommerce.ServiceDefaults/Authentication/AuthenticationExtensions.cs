using ECommerce.ServiceDefaults.Authentication;
using ECommerce.ServiceDefaults.Authentication.KeyRing;
using ECommerce.ServiceDefaults.Authentication.ServiceTokens;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>The authentication every API service shares (the role eShop's AddDefaultAuthentication plays).</summary>
public static class AuthenticationExtensions
{
    /// <summary>
    /// Validates the bearer tokens OrderingApi issues (the framework's BearerToken handler: data-protected, opaque
    /// tokens; JwtBearer cannot be installed here), with the key ring shared through PostgreSQL
    /// (<c>ConnectionStrings:keyringdb</c>) so every instance of every service reads the same tokens, across restarts.
    /// Sets the default and fallback authorization policy to "a signed-in user" (see <see cref="AuthorizationPolicies"/>),
    /// so an endpoint that declares nothing is not open; declare <c>AllowAnonymous</c> where anonymous is meant.
    /// <c>MapDefaultEndpoints</c> then also maps <c>GET /api/auth/me</c>. With Redis, a token of a session that ended
    /// early (logout), or issued before its user's roles changed, is refused at once (<see cref="RevokedSessions"/>).
    /// </summary>
    public static TBuilder AddDefaultAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;

        services.AddDataProtection()
            .SetApplicationName(SharedKeyRing.ApplicationName)
            .PersistKeysToPostgres(SharedKeyRing.ConnectionName);

        services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme)
            .AddBearerToken(BearerTokenDefaults.AuthenticationScheme);

        // Tokens already read are not decrypted again (CachedTicketFormat); tokens of sessions ended early (logout)
        // are refused at once, cached or not, where the service has Redis.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RevokedSessions>();
        services.AddHostedService<RevokedSessionsListener>();
        services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme)
            .PostConfigure<RevokedSessions, TimeProvider>((options, sessions, clock) =>
            {
                if (options.BearerTokenProtector is RevokedSessionTokenFormat or CachedTicketFormat)
                {
                    return;
                }
                var cached = new CachedTicketFormat(options.BearerTokenProtector, clock);
                options.BearerTokenProtector = sessions.IsEnabled ? new RevokedSessionTokenFormat(cached, sessions, clock) : cached;
            });
        services.AddAuthorization(AuthorizationPolicies.AddSharedPolicies);

        services.AddHttpContextAccessor();
        services.TryAddSingleton<DefaultAuthenticationMarker>();
        return builder;
    }

    /// <summary>
    /// For calls made on behalf of the current user: forwards the incoming request's bearer token, so the called
    /// service applies that user's rights (never more).
    /// </summary>
    public static IHttpClientBuilder AddUserTokenForwarding(this IHttpClientBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddTransient<UserTokenForwardingHandler>();
        return builder.AddHttpMessageHandler<UserTokenForwardingHandler>();
    }

    /// <summary>
    /// Gives this service its own identity for background calls (section <c>ServiceAuthentication</c>: ClientId,
    /// ClientSecret; checked at start). Add <see cref="AddServiceToken"/> to the HttpClients that should use it.
    /// </summary>
    public static TBuilder AddServiceTokens<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        AddServiceTokenServices(builder.Services);
        return builder;
    }

    /// <summary>Sends this service's own token (see <see cref="AddServiceTokens{TBuilder}"/>) on the client's requests.</summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder builder)
    {
        AddServiceTokenServices(builder.Services);
        return builder.AddHttpMessageHandler<ServiceTokenHandler>();
    }

    private static void AddServiceTokenServices(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ServiceTokenClient)))
        {
            return;
        }
        services.AddOptions<ServiceTokenOptions>()
            .BindConfiguration(ServiceTokenOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient(ServiceTokenClient.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ServiceTokenClient>();
        services.TryAddTransient<ServiceTokenHandler>();
    }
}

/// <summary>Tells <c>MapDefaultEndpoints</c> that the shared authentication is on.</summary>
internal sealed class DefaultAuthenticationMarker;
