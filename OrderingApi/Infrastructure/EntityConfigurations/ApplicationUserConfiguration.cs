using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderingApi.Model;

namespace OrderingApi.Infrastructure.EntityConfigurations;

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> user)
    {
        user.Property(u => u.Name).HasMaxLength(ProfileRules.NameMaxLength);
        user.Property(u => u.PhoneNumber).HasMaxLength(ProfileRules.PhoneMaxLength);
        user.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
        user.HasIndex(u => u.CreatedAt);
        ConfigureAddress(user.ComplexProperty(u => u.DefaultShippingAddress));
        ConfigureAddress(user.ComplexProperty(u => u.DefaultBillingAddress));
    }

    private static void ConfigureAddress(ComplexPropertyBuilder<Address> address)
    {
        address.Property(a => a.FullName).HasMaxLength(ProfileRules.NameMaxLength);
        address.Property(a => a.Line1).HasMaxLength(ProfileRules.AddressLineMaxLength);
        address.Property(a => a.Line2).HasMaxLength(ProfileRules.AddressLineMaxLength);
        address.Property(a => a.City).HasMaxLength(ProfileRules.CityMaxLength);
        address.Property(a => a.PostalCode).HasMaxLength(ProfileRules.PostalCodeMaxLength);
        address.Property(a => a.Country).HasMaxLength(ProfileRules.CountryMaxLength);
    }
}
