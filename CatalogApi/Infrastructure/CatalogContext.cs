using CatalogApi.Infrastructure.EntityConfigurations;
using CatalogApi.Model;
using Microsoft.EntityFrameworkCore;

namespace CatalogApi.Infrastructure;

/// <summary>
/// Categories, brands, products, options and variants in catalogdb. EF does not create the schema: it is the SQL
/// in Infrastructure/Migrations, applied at start-up by <see cref="CatalogDatabaseInitializer"/>, and this model
/// must match it. Search, stock and reservations use SQL of their own (see Services/).
/// </summary>
public sealed class CatalogContext(DbContextOptions<CatalogContext> options) : DbContext(options)
{
    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Brand> Brands => Set<Brand>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Variant> Variants => Set<Variant>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.ApplyConfiguration(new CategoryConfiguration());
        builder.ApplyConfiguration(new BrandConfiguration());
        builder.ApplyConfiguration(new ProductConfiguration());
        builder.ApplyConfiguration(new ProductOptionConfiguration());
        builder.ApplyConfiguration(new VariantConfiguration());
        SnakeCaseNames.Apply(builder);
    }
}
