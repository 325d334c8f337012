using AssistantApi.Services;

namespace AssistantApi.Tests;

/// <summary>A small catalog shaped like the seeded one (brand + model + noun names), for the language engine's tests.</summary>
internal static class TestCatalog
{
    public static CatalogSnapshot Create()
    {
        var categories = new[] { ("tents", "Tents"), ("sleeping-bags", "Sleeping Bags"), ("hiking-boots", "Hiking Boots"), ("rain-jackets", "Rain Jackets"), ("jackets", "Jackets"), ("backpacks", "Backpacks") }
            .Select(c => new IndexedTerm(c.Item1, c.Item2, CatalogIndex.Words(c.Item2))).ToList();
        var brands = new[] { ("northridge", "Northridge"), ("basecamp-co", "Basecamp Co."), ("trailcraft", "Trailcraft"), ("fjellstrom", "Fjellström") }
            .Select(b => new IndexedTerm(b.Item1, b.Item2, CatalogIndex.Words(b.Item2))).ToList();
        var products = new (int Id, string Name, string Brand, string Category)[]
        {
            (1, "Northridge Talus 2 Backpacking Tent", "Northridge", "Tents"),
            (2, "Basecamp Co. Cinder 6 Tunnel Tent", "Basecamp Co.", "Tents"),
            (3, "Northridge Skyline Down Sleeping Bag", "Northridge", "Sleeping Bags"),
            (4, "Trailcraft Meridian Waterproof Hiking Boot", "Trailcraft", "Hiking Boots"),
            (5, "Fjellström Zephyr Packable Rain Jacket", "Fjellström", "Rain Jackets"),
            (6, "Trailcraft Ibex 35 Hiking Pack", "Trailcraft", "Backpacks"),
            (7, "Northridge Talus Lightweight Hiker", "Northridge", "Hiking Boots"),
            (8, "Aurora Threads Arete Quarter-Zip Fleece", "Aurora Threads", "Jackets"),
        }.Select(p => new IndexedProduct(p.Id, p.Name, p.Name.ToLowerInvariant().Replace(' ', '-'), p.Brand, p.Brand.ToLowerInvariant(), p.Category,
            p.Category.ToLowerInvariant(), 99m, true, CatalogIndex.Words(p.Name))).ToList();
        return new CatalogSnapshot(products, categories, brands, ["Black", "Red", "Forest Green", "Sky Blue", "Grey"], ["S", "M", "L", "XL", "42", "43"], DateTimeOffset.UtcNow);
    }
}
