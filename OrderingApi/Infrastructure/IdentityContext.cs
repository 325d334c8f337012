using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OrderingApi.Infrastructure.EntityConfigurations;
using OrderingApi.Model;

namespace OrderingApi.Infrastructure;

/// <summary>
/// Users, roles and sign-in sessions in orderingdb. The schema is not created by EF: it is the SQL in
/// Infrastructure/Migrations, applied at start-up by <see cref="DatabaseInitializer"/>; this model must match it.
/// </summary>
public sealed class IdentityContext(DbContextOptions<IdentityContext> options) : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<UserSession> Sessions => Set<UserSession>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfiguration(new ApplicationUserConfiguration());
        builder.ApplyConfiguration(new UserSessionConfiguration());
    }
}
