using System.Xml.Linq;
using CatalogApi.Infrastructure.Seed;
using CatalogApi.Services;

namespace CatalogApi.Tests;

public sealed class ProductImagesTests
{
    public static TheoryData<string> Shapes => [.. SeedCatalogData.Kinds.Select(k => k.Shape).Distinct().Append("unknown-shape")];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_shape_is_well_formed_svg(string shape)
    {
        var svg = XDocument.Parse(ProductImages.Render(shape, "forest-green", "Northridge", "Northridge Talus <2> & \"Tent\""));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains("Talus <2> & \"Tent\"", svg.Root.Value);
    }

    [Fact]
    public void The_colour_is_drawn_and_the_picture_is_always_the_same()
    {
        var red = ProductImages.Render("boot", "red", "Wildpath", "Wildpath Glacier Boot");
        Assert.Contains("#c8372d", red);
        Assert.Equal(red, ProductImages.Render("boot", "red", "Wildpath", "Wildpath Glacier Boot"));
        Assert.NotEqual(red, ProductImages.Render("boot", "navy", "Wildpath", "Wildpath Glacier Boot"));
    }

    [Fact]
    public void The_shape_comes_from_the_nearest_category_that_has_one()
    {
        Assert.Equal("tent", ProductImages.ShapeFor(["camping-hiking", "tents"]));
        Assert.Equal("tag", ProductImages.ShapeFor(["camping-hiking"]));
    }
}
