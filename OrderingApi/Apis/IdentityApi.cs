using System.Security.Claims;
using ECommerce.ServiceDefaults.Authentication;
using ECommerce.ServiceDefaults.Authentication.ServiceTokens;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderingApi.Model;
using OrderingApi.Services;

namespace OrderingApi.Apis;

/// <summary>
/// <c>/api/identity</c>: accounts, sign-in with bearer tokens (OrderingApi issues them; every service validates them),
/// profiles, and the admins' user management. Who may call each endpoint is declared where it is mapped.
/// </summary>
public static partial class IdentityApi
{
    private const string Scheme = BearerTokenDefaults.AuthenticationScheme;
    private const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapIdentityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/identity").WithTags("Identity");

        api.MapPost("/register", Register)
            .AllowAnonymous().RequireRateLimiting(CredentialRateLimitSettings.PolicyName)
            .WithName("Register").WithSummary("Create a customer account");
        api.MapPost("/login", Login)
            .AllowAnonymous().RequireRateLimiting(CredentialRateLimitSettings.PolicyName)
            .WithName("Login").WithSummary("Sign in: an access token and a refresh token")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/refresh", Refresh)
            .AllowAnonymous()
            .WithName("Refresh").WithSummary("New tokens for a refresh token (each refresh token works once)")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPost("/logout", Logout)
            .RequireAuthorization()
            .WithName("Logout").WithSummary("End this sign-in: its refresh token stops working");
        api.MapGet("/profile", GetProfile)
            .RequireAuthorization()
            .WithName("GetProfile").WithSummary("The signed-in user's profile");
        api.MapPut("/profile", UpdateProfile)
            .RequireAuthorization()
            .WithName("UpdateProfile").WithSummary("Replace the name, phone and default addresses");
        api.MapPost("/change-password", ChangePassword)
            .RequireAuthorization().RequireRateLimiting(CredentialRateLimitSettings.PolicyName)
            .WithName("ChangePassword").WithSummary("Change the password: other sign-ins end, this one gets new tokens")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/service-token", IssueServiceToken)
            .AllowAnonymous().RequireRateLimiting(CredentialRateLimitSettings.PolicyName)
            .WithName("IssueServiceToken").WithSummary("A service token for one of our services (client credentials)");

        var users = api.MapGroup("/users").RequireAuthorization(AuthorizationPolicies.Admin);
        users.MapGet("/", ListUsers)
            .WithName("ListUsers").WithSummary("Users, newest first, optionally filtered by email or name (Admin)");
        users.MapPut("/{id}/roles", SetRoles)
            .WithName("SetUserRoles").WithSummary("Grant or revoke Admin (Admin); everyone stays a Customer");

        return app;
    }

    public static async Task<Results<Created<ProfileResponse>, ValidationProblem>> Register(
        RegisterRequest request, [AsParameters] IdentityServices services, CancellationToken cancellationToken)
    {
        var email = request.Email?.Trim() ?? "";
        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        var errors = ProfileRules.Validate(new UpdateProfileRequest(name, null, null, null));
        if (email.Length == 0)
        {
            errors["email"] = ["Email is required."];
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["Password is required."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Every rule at once (Identity's CreateAsync stops at the first failing kind), so each field gets its reasons.
        var userManager = services.UserManager;
        var candidate = new ApplicationUser { UserName = email, Email = email, Name = name };
        var problems = new List<IdentityError>();
        foreach (var validator in userManager.UserValidators)
        {
            problems.AddRange((await validator.ValidateAsync(userManager, candidate)).Errors);
        }
        foreach (var validator in userManager.PasswordValidators)
        {
            problems.AddRange((await validator.ValidateAsync(userManager, candidate, request.Password)).Errors);
        }
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(IdentityErrorFields.Map(problems));
        }

        ApplicationUser user;
        try
        {
            user = await CreateCustomerAsync(services, email, request.Password!, name, cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two registrations of one email at the same moment: the unique index decides, the loser is told.
            return TypedResults.ValidationProblem(IdentityErrorFields.Map([new IdentityError { Code = nameof(IdentityErrorDescriber.DuplicateEmail) }]));
        }
        catch (IdentityRefusedException e)
        {
            // The other registration committed between our checks and Identity's own (DuplicateUserName): the same answer.
            return TypedResults.ValidationProblem(IdentityErrorFields.Map(e.Errors));
        }
        LogRegistered(services.Logger, user.Id);
        return TypedResults.Created("/api/identity/profile", ToProfile(user, [AppRoles.Customer]));
    }

    public static async Task<Results<SignInHttpResult, ProblemHttpResult, ValidationProblem>> Login(
        LoginRequest request, [AsParameters] IdentityServices services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(Required(("email", request.Email), ("password", request.Password)));
        }

        var user = await services.UserManager.FindByEmailAsync(request.Email.Trim());
        if (user is null)
        {
            services.PasswordTiming.SpendHashingTime(request.Password);
            LogSignInFailed(services.Logger, "unknown email", null);
            return SignInFailed();
        }

        var result = await services.SignInManager.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            if (result.IsLockedOut || result.IsNotAllowed)
            {
                services.PasswordTiming.SpendHashingTime(request.Password);
            }
            LogSignInFailed(services.Logger, result.IsLockedOut ? "locked out" : "wrong password", user.Id);
            return SignInFailed();
        }

        var principal = await services.Sessions.StartAsync(user, cancellationToken);
        return TypedResults.SignIn(principal, authenticationScheme: Scheme);
    }

    public static async Task<Results<SignInHttpResult, ProblemHttpResult, ValidationProblem>> Refresh(
        RefreshRequest request, [AsParameters] IdentityServices services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return TypedResults.ValidationProblem(Required(("refreshToken", request.RefreshToken)));
        }

        var ticket = services.GetBearerTokenOptions().RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expiresAt || services.TimeProvider.GetUtcNow() >= expiresAt)
        {
            return RefreshRefused();
        }
        // A changed password changes the security stamp: refresh tokens from before it are refused.
        var user = await services.SignInManager.ValidateSecurityStampAsync(ticket.Principal);
        if (user is null || await services.Sessions.RefreshAsync(user, ticket.Principal, cancellationToken) is not { } principal)
        {
            return RefreshRefused();
        }
        return TypedResults.SignIn(principal, authenticationScheme: Scheme);
    }

    public static async Task<NoContent> Logout(
        ClaimsPrincipal user, [AsParameters] IdentityServices services, CancellationToken cancellationToken)
    {
        await services.Sessions.RevokeAsync(user, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ProfileResponse>, NotFound>> GetProfile(
        ClaimsPrincipal user, [AsParameters] IdentityServices services)
    {
        if (await services.UserManager.GetUserAsync(user) is not { } account)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(ToProfile(account, await services.UserManager.GetRolesAsync(account)));
    }

    public static async Task<Results<Ok<ProfileResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateProfile(
        UpdateProfileRequest request, ClaimsPrincipal user, [AsParameters] IdentityServices services)
    {
        var profile = ProfileRules.Normalize(request);
        if (ProfileRules.Validate(profile) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await services.UserManager.GetUserAsync(user) is not { } account)
        {
            return TypedResults.NotFound();
        }

        account.Name = profile.Name;
        if (account.PhoneNumber != profile.PhoneNumber)
        {
            // Set directly: UserManager.SetPhoneNumberAsync would also renew the security stamp and end every sign-in.
            account.PhoneNumber = profile.PhoneNumber;
            account.PhoneNumberConfirmed = false;
        }
        account.DefaultShippingAddress = profile.DefaultShippingAddress?.ToAddress();
        account.DefaultBillingAddress = profile.DefaultBillingAddress?.ToAddress();

        var result = await services.UserManager.UpdateAsync(account);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The profile changed meanwhile",
                detail: "Another change to this profile was saved first. Load it again and retry.");
        }
        return TypedResults.Ok(ToProfile(account, await services.UserManager.GetRolesAsync(account)));
    }

    public static async Task<Results<SignInHttpResult, NotFound, ValidationProblem>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal user, [AsParameters] IdentityServices services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword) || string.IsNullOrEmpty(request.NewPassword))
        {
            return TypedResults.ValidationProblem(Required(("currentPassword", request.CurrentPassword), ("newPassword", request.NewPassword)));
        }
        var userManager = services.UserManager;
        if (await userManager.GetUserAsync(user) is not { } account)
        {
            return TypedResults.NotFound();
        }
        // A stolen access token must not become a way to guess the password: failures here count toward lockout too.
        if (await userManager.IsLockedOutAsync(account))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["currentPassword"] = ["Too many wrong passwords. Try again later."],
            });
        }

        var result = await userManager.ChangePasswordAsync(account, request.CurrentPassword, request.NewPassword);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                await userManager.AccessFailedAsync(account);
            }
            return TypedResults.ValidationProblem(IdentityErrorFields.Map(result.Errors, passwordField: "newPassword"));
        }
        await userManager.ResetAccessFailedCountAsync(account);

        // Every sign-in ends (the security stamp changed, and the sessions are revoked); this one continues with new tokens.
        await services.Sessions.RevokeAllAsync(account.Id, cancellationToken);
        LogPasswordChanged(services.Logger, account.Id);
        return TypedResults.SignIn(await services.Sessions.StartAsync(account, cancellationToken), authenticationScheme: Scheme);
    }

    public static Results<Ok<ServiceTokenResponse>, ProblemHttpResult, ValidationProblem> IssueServiceToken(
        ServiceTokenRequest request, [AsParameters] IdentityServices services)
    {
        if (string.IsNullOrEmpty(request.ClientId) || string.IsNullOrEmpty(request.ClientSecret))
        {
            return TypedResults.ValidationProblem(Required(("clientId", request.ClientId), ("clientSecret", request.ClientSecret)));
        }
        if (services.ServiceClients.Authenticate(request.ClientId, request.ClientSecret) is not { } principal)
        {
            LogServiceClientRefused(services.Logger, request.ClientId);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unknown client or wrong secret");
        }

        var issued = services.ServiceTokens.Issue(principal);
        LogServiceTokenIssued(services.Logger, request.ClientId, string.Join(' ', issued.Scopes));
        return TypedResults.Ok(issued);
    }

    public static async Task<Results<Ok<UserPage>, ValidationProblem>> ListUsers(
        [AsParameters] IdentityServices services, string? search = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["Pages start at 1."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Between 1 and {MaxPageSize}."];
        }
        if (search?.Length > 256)
        {
            errors["search"] = ["At most 256 characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var db = services.Db;
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(term) || (u.Name != null && u.Name.ToUpper().Contains(term)));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.Name,
                u.CreatedAt,
                u.LockoutEnd,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
                    .ToList(),
            })
            .ToListAsync(cancellationToken);

        var now = services.TimeProvider.GetUtcNow();
        var items = rows.Select(u => new UserSummary(u.Id, u.Email!, u.Name, SortRoles(u.Roles), u.CreatedAt,
            u.LockoutEnd > now ? u.LockoutEnd : null)).ToList();
        return TypedResults.Ok(new UserPage(items, total, page, pageSize));
    }

    public static async Task<Results<Ok<UserSummary>, NotFound, ValidationProblem, ProblemHttpResult>> SetRoles(
        string id, SetRolesRequest request, ClaimsPrincipal caller, [AsParameters] IdentityServices services, CancellationToken cancellationToken)
    {
        var requested = request.Roles ?? [];
        var unknown = requested.Where(r => !AppRoles.All.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["roles"] = [$"Unknown role(s): {string.Join(", ", unknown)}. Roles are {string.Join(" and ", AppRoles.All)}."],
            });
        }
        var makeAdmin = requested.Contains(AppRoles.Admin, StringComparer.OrdinalIgnoreCase);

        // One role change at a time across instances (an advisory lock in the transaction): two admins demoting each
        // other at once must not leave the shop with none.
        var db = services.Db;
        var userManager = services.UserManager;
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(ChangeRolesAsync);

        async Task<Results<Ok<UserSummary>, NotFound, ValidationProblem, ProblemHttpResult>> ChangeRolesAsync()
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RoleChangeLockKey})", cancellationToken);

            if (await userManager.FindByIdAsync(id) is not { } user)
            {
                return TypedResults.NotFound();
            }
            var isAdmin = await userManager.IsInRoleAsync(user, AppRoles.Admin);
            if (isAdmin && !makeAdmin && (await userManager.GetUsersInRoleAsync(AppRoles.Admin)).Count <= 1)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The last admin cannot be removed",
                    detail: "Make another user an admin first.");
            }

            await EnsureSucceeded(isAdmin switch
            {
                false when makeAdmin => await userManager.AddToRoleAsync(user, AppRoles.Admin),
                true when !makeAdmin => await userManager.RemoveFromRoleAsync(user, AppRoles.Admin),
                _ => IdentityResult.Success,
            });
            if (!await userManager.IsInRoleAsync(user, AppRoles.Customer))
            {
                await EnsureSucceeded(await userManager.AddToRoleAsync(user, AppRoles.Customer));
            }
            await transaction.CommitAsync(cancellationToken);

            if (isAdmin != makeAdmin)
            {
                LogRolesChanged(services.Logger, caller.GetUserId(), user.Id, makeAdmin ? "granted" : "revoked");
                // The user's tokens with the old roles stop working everywhere: a demoted admin cannot act as one for
                // the rest of a token's life, and the next refresh carries the new roles.
                await services.Sessions.EndTokensIssuedSoFarAsync(user.Id);
            }
            var roles = await userManager.GetRolesAsync(user);
            var lockedOutUntil = user.LockoutEnd > services.TimeProvider.GetUtcNow() ? user.LockoutEnd : null;
            return TypedResults.Ok(new UserSummary(user.Id, user.Email!, user.Name, SortRoles(roles), user.CreatedAt, lockedOutUntil));
        }
    }

    private const long RoleChangeLockKey = 0x4F52_444E_0002; // "ORDN" 2

    private static async Task<ApplicationUser> CreateCustomerAsync(
        IdentityServices services, string email, string password, string? name, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var user = new ApplicationUser
            {
                UserName = email,
                Email = email,
                Name = name,
                CreatedAt = services.TimeProvider.GetUtcNow(),
            };
            await EnsureSucceeded(await services.UserManager.CreateAsync(user, password));
            await EnsureSucceeded(await services.UserManager.AddToRoleAsync(user, AppRoles.Customer));
            await transaction.CommitAsync(cancellationToken);
            return user;
        });
    }

    private static Task EnsureSucceeded(IdentityResult result) => result.Succeeded
        ? Task.CompletedTask
        : throw new IdentityRefusedException([.. result.Errors]);

    /// <summary>Identity refused a change (its own checks, run again inside the transaction).</summary>
    private sealed class IdentityRefusedException(IReadOnlyList<IdentityError> errors)
        : InvalidOperationException($"Identity refused: {string.Join("; ", errors.Select(e => $"{e.Code}: {e.Description}"))}")
    {
        public IReadOnlyList<IdentityError> Errors { get; } = errors;
    }

    private static ProfileResponse ToProfile(ApplicationUser user, IEnumerable<string> roles) => new(
        user.Id, user.Email!, user.Name, user.PhoneNumber, user.DefaultShippingAddress, user.DefaultBillingAddress,
        SortRoles(roles), user.CreatedAt);

    private static IReadOnlyList<string> SortRoles(IEnumerable<string> roles) => roles.Order(StringComparer.Ordinal).ToList();

    private static Dictionary<string, string[]> Required(params (string Field, string? Value)[] fields) =>
        fields.Where(f => string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Field, _ => new[] { "This field is required." });

    /// <summary>The same answer for an unknown email, a wrong password and a locked account: nothing to learn from it.</summary>
    private static ProblemHttpResult SignInFailed() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Sign-in failed",
        detail: "The email or password is not correct, or the account is locked for a while after repeated failures.");

    private static ProblemHttpResult RefreshRefused() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Refresh refused",
        detail: "The refresh token is invalid, expired, already used, or its sign-in has ended. Sign in again.");

    [LoggerMessage(LogLevel.Information, "Registered user {UserId}")]
    private static partial void LogRegistered(ILogger logger, string userId);

    [LoggerMessage(LogLevel.Information, "Sign-in failed ({Reason}) for user {UserId}")]
    private static partial void LogSignInFailed(ILogger logger, string reason, string? userId);

    [LoggerMessage(LogLevel.Information, "User {UserId} changed their password; their other sign-ins ended")]
    private static partial void LogPasswordChanged(ILogger logger, string userId);

    [LoggerMessage(LogLevel.Warning, "Service token refused for client {ClientId}")]
    private static partial void LogServiceClientRefused(ILogger logger, string clientId);

    [LoggerMessage(LogLevel.Information, "Service token issued to {ClientId} for [{Scopes}]")]
    private static partial void LogServiceTokenIssued(ILogger logger, string clientId, string scopes);

    [LoggerMessage(LogLevel.Information, "Admin {AdminId} {Change} the Admin role of user {UserId}")]
    private static partial void LogRolesChanged(ILogger logger, string? adminId, string userId, string change);
}
