using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OrderingApi.Infrastructure;
using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Apis;

/// <summary>What the identity endpoints need, in one <c>[AsParameters]</c> record (eShop's CatalogServices).</summary>
public sealed class IdentityServices(
    IdentityContext db,
    UserManager<ApplicationUser> userManager,
    SignInManager<ApplicationUser> signInManager,
    SessionService sessions,
    PasswordTiming passwordTiming,
    ServiceClientAuthenticator serviceClients,
    ServiceTokenIssuer serviceTokens,
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    TimeProvider timeProvider,
    ILogger<IdentityServices> logger)
{
    public IdentityContext Db { get; } = db;
    public UserManager<ApplicationUser> UserManager { get; } = userManager;
    public SignInManager<ApplicationUser> SignInManager { get; } = signInManager;
    public SessionService Sessions { get; } = sessions;
    public PasswordTiming PasswordTiming { get; } = passwordTiming;
    public ServiceClientAuthenticator ServiceClients { get; } = serviceClients;
    public IOptionsMonitor<BearerTokenOptions> BearerOptions { get; } = bearerOptions;
    public ServiceTokenIssuer ServiceTokens { get; } = serviceTokens;
    public TimeProvider TimeProvider { get; } = timeProvider;
    public ILogger<IdentityServices> Logger { get; } = logger;

    /// <summary>The protectors of the bearer scheme: the same keys and purposes every service reads tokens with.</summary>
    public BearerTokenOptions GetBearerTokenOptions() => BearerOptions.Get(BearerTokenDefaults.AuthenticationScheme);
}
