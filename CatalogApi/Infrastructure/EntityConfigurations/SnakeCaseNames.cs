using System.Text;
using Microsoft.EntityFrameworkCore;

namespace CatalogApi.Infrastructure.EntityConfigurations;

/// <summary>Column names in snake_case (UnitsSold -> units_sold), as the SQL migrations write them.</summary>
internal static class SnakeCaseNames
{
    public static void Apply(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    public static string ToSnakeCase(string name)
    {
        var result = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                result.Append('_');
            }
            result.Append(char.ToLowerInvariant(name[i]));
        }
        return result.ToString();
    }
}
