using CatalogApi.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CatalogApi.Infrastructure.EntityConfigurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.Property(p => p.Tags).HasColumnType("text[]");
        builder.Property(p => p.Images).HasColumnType("text[]");
        builder.Property(p => p.Specs).HasColumnType("jsonb");
        // Written only by the ratings endpoint (SQL, Services/ProductRatings.cs), never by an admin's product edit.
        builder.Property(p => p.RatingAverage).HasColumnType("numeric(3,2)").Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.Property(p => p.RatingCount).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.HasOne(p => p.Brand).WithMany().HasForeignKey(p => p.BrandId);
        builder.HasOne(p => p.Category).WithMany().HasForeignKey(p => p.CategoryId);
        builder.HasMany(p => p.Options).WithOne().HasForeignKey(o => o.ProductId);
        builder.HasMany(p => p.Variants).WithOne(v => v.Product).HasForeignKey(v => v.ProductId);
    }
}

internal sealed class ProductOptionConfiguration : IEntityTypeConfiguration<ProductOption>
{
    public void Configure(EntityTypeBuilder<ProductOption> builder)
    {
        builder.ToTable("product_options");
        builder.HasKey(o => new { o.ProductId, o.Name });
        builder.Property(o => o.Values).HasColumnType("text[]");
    }
}
