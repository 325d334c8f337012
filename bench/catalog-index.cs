#:property PublishAot=false
#:property TieredPGO=true
#:project ../CatalogApi/CatalogApi.csproj
// The catalog's search index in process, without HTTP: a generated catalog of SIZE products (the seed's generator, as
// Catalog:SeedProducts makes it), then bench/catalog.sh's never-cached queries (each with a new maximum price) run
// ROUNDS times; prints each query's median and the process's CPU per query of each group. What a query costs over
// HTTP is bench/catalog.sh's; this is the index's own share, measured without the rest of the app on the cores.
// Run: dotnet run bench/catalog-index.cs -c Release -- [SIZE] [ROUNDS]   (default 100000 and 200)
using System.Diagnostics;
using System.Globalization;
using CatalogApi.Infrastructure.Seed;
using CatalogApi.Model;
using CatalogApi.Services;
using CatalogApi.Services.Search;
using Microsoft.AspNetCore.WebUtilities;

var size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;

var clock = Stopwatch.StartNew();
var seed = SeedCatalogGenerator.Generate(size);
var now = DateTime.UtcNow;
var state = CatalogIndex.Build(new CatalogIndex.Loaded(
    [.. seed.Brands.Select(b => new IndexedBrand(b.Id, b.Slug, b.Name))],
    [.. seed.Categories.Select(c => (c.Id, c.ParentId, c.Slug, c.Name))],
    [.. seed.Products.Select(p => new CatalogIndex.LoadedProduct(p.Id, p.Slug, p.Name, p.Description, p.BrandId, p.CategoryId, p.Tags, p.Images,
        now.AddDays(-p.AgeDays), p.Id % 5 == 0 ? RatingSummary.None : new RatingSummary(1 + p.Id * 37 % 401 / 100m, p.Id % 13 + 1)))],
    seed.Products.ToDictionary(p => p.Id, p => p.Variants.Select(v => new CatalogIndex.LoadedVariant(p.Id, v.Price, v.OnHand, v.UnitsSold, [.. v.Options])).ToList()),
    seed.Products.Sum(p => p.Variants.Count)));
Console.WriteLine($"{seed.Products.Count:N0} products, {seed.Products.Sum(p => p.Variants.Count):N0} variants, generated and indexed in {clock.Elapsed.TotalSeconds:F1} s; {rounds} rounds per query");

// bench/catalog.sh's rows (spec filters need the spec sheets of catalogdb, which the generator leaves to the seeder: not here).
var groups = new (string Name, string[] Queries)[]
{
    ("search with typos", ["q=waterprof jakcet", "q=sleping bag", "q=hikng boots", "q=trail runing shoes", "q=insulated jackt", "q=climbing harnes"]),
    ("listing with facet filters", ["category=clothing&colour=red&size=m&inStock=true", "category=footwear&brand=trailcraft&brand=wildpath&size=42&sort=price-asc",
        "category=camping-hiking&colour=olive&inStock=true&sort=newest", "category=jackets&size=l&colour=navy&colour=black"]),
    ("search sorted by rating", ["q=jacket&sort=rating", "q=tent&sort=rating&minRating=3", "q=boots&sort=rating", "q=sleeping bag&sort=rating&minRating=4"]),
    ("page 50 of clothing", ["category=clothing&sort=price-asc&page=50"]),
};
var process = Process.GetCurrentProcess();
foreach (var (name, queries) in groups)
{
    var searches = queries.Select(q => Parse(q + "&pageSize=24")).ToArray();
    var times = searches.Select(_ => new List<double>()).ToArray();
    var cpu = TimeSpan.Zero;
    for (var round = -20; round < rounds; round++)
    {
        var cpuBefore = process.TotalProcessorTime;
        for (var i = 0; i < searches.Length; i++)
        {
            var search = searches[i] with { MaxPrice = 100 + (round + 20) * 7 % 900 + i / 100m };
            var started = Stopwatch.GetTimestamp();
            var words = IndexQuery.Correct(state, search.Words);
            IndexQuery.Run(state, search, words, "/api/catalog/products/");
            if (round >= 0)
            {
                times[i].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        process.Refresh();
        if (round >= 0)
        {
            cpu += process.TotalProcessorTime - cpuBefore;
        }
    }
    Console.WriteLine($"{name}: {cpu.TotalMilliseconds / rounds / searches.Length:F3} ms of CPU per query");
    for (var i = 0; i < searches.Length; i++)
    {
        times[i].Sort();
        Console.WriteLine($"  {queries[i],-75} median {times[i][times[i].Count / 2]:F3} ms");
    }
}

static ProductSearch Parse(string query)
{
    var q = QueryHelpers.ParseQuery(query);
    string? One(string key) => q.TryGetValue(key, out var v) ? v.ToString() : null;
    string[]? Many(string key) => q.TryGetValue(key, out var v) ? [.. v!] : null;
    var list = new ProductListQuery(Q: One("q"), Category: Many("category"), Brand: Many("brand"), Colour: Many("colour"), Size: Many("size"),
        InStock: One("inStock"), Sort: One("sort"), Page: One("page"), PageSize: One("pageSize"), MinRating: One("minRating"));
    return ProductSearchParser.TryParse(list, out var search, out var errors)
        ? search
        : throw new ArgumentException($"{query}: {string.Join(", ", errors.Keys)}");
}
