using System.Globalization;
using System.Text.RegularExpressions;
using CatalogApi.Services.Specs;

namespace CatalogApi.Infrastructure.Seed;

/// <summary>
/// Plausible spec values for a seeded product, read from what its name, description and tags already say
/// ("Quartz 3 Dome Tent" sleeps 3, "Comfort rated to -5 °C" is -5 °C, an ultralight tent is light, a "Lite" edition is
/// lighter), the rest drawn from the ranges such products have. Keys and choices are those of
/// <c>spec-definitions.json</c> (the seed tests check every value against it). Its own random numbers per product,
/// so the rest of the seeded catalog is the same as without specs.
/// </summary>
internal static partial class SeedSpecs
{
    /// <summary>What a product is, as the rules read it: all lower case.</summary>
    private sealed class Facts(string name, string noun, string description, string[] tags, decimal price, Random random)
    {
        public string Name { get; } = name.ToLowerInvariant();
        public string Noun { get; } = noun.ToLowerInvariant();
        public string Description { get; } = description.ToLowerInvariant();
        public string[] Tags { get; } = [.. tags.Select(t => t.ToLowerInvariant())];
        public decimal Price { get; } = price;
        public Random Random { get; } = random;

        public bool NounHas(string word) => Noun.Contains(word, StringComparison.Ordinal);
        public bool Says(string words) => Description.Contains(words, StringComparison.Ordinal);
        public bool Tagged(string tag) => Tags.Contains(tag);

        /// <summary>A lighter edition of a generated product ("Talus Lite 2 Backpacking Tent").</summary>
        public bool LightEdition => LightEditionWord().IsMatch(Name);

        public int Between(int low, int high) => Random.Next(low, high + 1);
        public decimal Round(int low, int high, int step) => Between(low / step, high / step) * step;
        public T Pick<T>(params T[] items) => items[Random.Next(items.Length)];
    }

    public static IReadOnlyList<KeyValuePair<string, SpecValue>> For(string category, string name, string noun, string description, string[] tags, decimal price, int productId)
    {
        var f = new Facts(name, noun, description, tags, price, new Random(SeedCatalogGenerator.RandomSeed ^ (productId * 7919)));
        var specs = new List<KeyValuePair<string, SpecValue>>();
        void Number(string key, decimal value) => specs.Add(new(key, new SpecValue(value, null)));
        void Choice(string key, string value) => specs.Add(new(key, new SpecValue(null, value)));
        void YesNo(string key, bool value) => Choice(key, value ? "Yes" : "No");
        decimal Lighter(decimal grams) => f.LightEdition ? Math.Round(grams * 0.85m / 10) * 10 : grams;

        switch (category)
        {
            case "tents":
            {
                var persons = LeadingNumber(f.Noun) ?? 2;
                var ultralight = f.NounHas("ultralight") || f.Tagged("ultralight");
                var fourSeason = f.Tagged("4-season") && !f.Tagged("3-season");
                var perPerson = ultralight ? 450 : f.NounHas("family") || f.NounHas("tunnel") ? 1200 : f.NounHas("dome") ? 900 : 650;
                var grams = (ultralight ? 300 : 700) + perPerson * persons + f.Between(-8, 8) * 25;
                Number("capacity", persons);
                Number("weight", Lighter(Math.Round(grams * (fourSeason ? 1.15m : 1m) / 10) * 10));
                Choice("seasons", fourSeason ? "4-season" : "3-season");
                Number("waterproof-rating", f.Says("3,000 mm") ? 3000 : fourSeason ? f.Pick(4000, 5000, 6000) : f.Pick(1500, 2000, 2500, 3000, 4000));
                break;
            }
            case "sleeping-bags":
            {
                var down = f.NounHas("down") || !f.NounHas("synthetic") && (f.Says("down lofts") || f.Tagged("down") && !f.Tagged("synthetic") || f.Random.NextDouble() < 0.5);
                var comfort = StatedNumber(f.Description, ComfortRating()) ?? (f.NounHas("summer") ? f.Between(8, 14)
                    : f.NounHas("expedition") ? f.Between(-25, -14) : f.Between(-6, 5));
                var grams = (down ? 650 : 1000) + (int)((15 - comfort) * (down ? 28 : 45)) + f.Between(-4, 4) * 20;
                Number("comfort-temperature", comfort);
                Choice("fill", down ? "Down" : "Synthetic");
                Number("weight", Lighter(Math.Round((f.Tagged("lightweight") ? grams * 0.9m : grams) / 10) * 10));
                break;
            }
            case "sleeping-mats":
            {
                var type = f.NounHas("self-inflating") ? "Self-inflating" : f.NounHas("foam") ? "Foam" : "Air";
                var rValue = StatedDecimal(f.Description, RValue()) ?? type switch
                {
                    "Foam" => 2.0m,
                    "Self-inflating" => f.Between(30, 50) / 10m,
                    _ when f.NounHas("insulated") || f.Tagged("insulated") => f.Between(40, 62) / 10m,
                    _ => f.Between(18, 32) / 10m,
                };
                var grams = type switch
                {
                    "Foam" => f.Round(280, 450, 10),
                    "Self-inflating" => f.Round(850, 1400, 10),
                    _ when f.NounHas("ultralight") || f.Tagged("ultralight") => f.Round(300, 420, 10),
                    _ => f.Round(450, 700, 10),
                };
                Number("r-value", rValue);
                Choice("type", type);
                Number("weight", Lighter(grams));
                break;
            }
            case "backpacks":
            {
                var litres = LeadingNumber(f.Noun) ?? 30;
                var grams = 350 + litres * (f.NounHas("expedition") || f.NounHas("trekking") ? 32 : 24) + f.Between(-6, 6) * 20;
                Number("volume", litres);
                Number("weight", Lighter(Math.Round(grams / 10m) * 10));
                YesNo("rain-cover", f.Says("rain cover") || f.Tagged("rain cover"));
                break;
            }
            case "camp-kitchen":
            {
                var material = f.NounHas("titanium") || f.Tagged("titanium") ? "Titanium"
                    : f.Says("aluminium") ? "Aluminium" : f.Pick("Aluminium", "Aluminium", "Stainless steel");
                var grams = f.NounHas("mug") ? f.Round(80, 130, 5) : f.NounHas("cook set") ? f.Round(380, 560, 10)
                    : f.NounHas("stove") ? f.Round(320, 480, 10) : f.NounHas("kettle") ? f.Round(220, 320, 10) : f.Round(180, 300, 10);
                Choice("material", material);
                Number("weight", Lighter(material == "Titanium" ? Math.Round(grams * 0.6m / 5) * 5 : material == "Stainless steel" ? Math.Round(grams * 1.4m / 5) * 5 : grams));
                break;
            }
            case "headlamps-lanterns":
            {
                var lantern = f.NounHas("lantern");
                Number("brightness", StatedNumber(f.Description, Lumens()) ?? (lantern ? f.Round(200, 500, 50) : f.NounHas("trail running") ? f.Round(500, 1000, 50) : f.Round(200, 450, 50)));
                Choice("power", f.NounHas("rechargeable") || f.Says("usb-c") || f.Tagged("rechargeable") ? "Rechargeable" : "AAA batteries");
                Choice("waterproofing", f.Says("ipx7") || f.Tagged("waterproof") ? "IPX7" : "IPX4");
                Number("weight", lantern ? f.Round(160, 320, 10) : f.Round(55, 120, 5));
                break;
            }
            case "hydration":
            {
                var reservoir = f.NounHas("reservoir");
                var insulated = f.NounHas("insulated") || f.Says("vacuum insulation") || f.Tagged("insulated") && !reservoir;
                Choice("insulated", insulated ? "Yes" : "No");
                Choice("material", reservoir ? "Soft TPU" : insulated ? "Stainless steel" : "Tritan plastic");
                Number("weight", reservoir ? f.Round(150, 220, 10) : insulated ? f.Round(330, 460, 10) : f.Round(90, 160, 10));
                break;
            }
            case "hiking-boots" or "trail-running-shoes" or "running-shoes" or "sandals":
            {
                var (drop, grams, membrane) = category switch
                {
                    "hiking-boots" => (f.Between(10, 14),
                        f.NounHas("lightweight") ? f.Round(430, 540, 10) : f.NounHas("leather") ? f.Round(620, 780, 10) : f.Round(540, 700, 10),
                        f.NounHas("gtx") || f.NounHas("waterproof") || f.Says("waterproof, breathable membrane") || f.Tagged("waterproof") || f.NounHas("leather") && f.Random.NextDouble() < 0.5),
                    "trail-running-shoes" => (StatedNumber(f.Description, Drop()) ?? f.Pick(4, 6, 8),
                        f.NounHas("fell") ? f.Round(230, 280, 5) : f.NounHas("ultra") ? f.Round(290, 340, 5) : f.Round(260, 320, 5),
                        f.Tagged("waterproof") && !f.Says("drains fast")),
                    "running-shoes" => (f.NounHas("racing") ? f.Pick(4, 6) : f.Pick(6, 8, 10),
                        f.NounHas("racing") ? f.Round(170, 210, 5) : f.NounHas("stability") || f.NounHas("cushioned") ? f.Round(270, 320, 5) : f.Round(230, 280, 5),
                        false),
                    _ => (f.Pick(0, 2, 4), f.NounHas("slide") ? f.Round(180, 240, 10) : f.Round(260, 380, 10), false),
                };
                Number("drop", drop);
                Number("weight", Lighter(grams));
                YesNo("waterproof-membrane", membrane);
                break;
            }
            case "rain-jackets":
            {
                var threeLayer = f.NounHas("3l") || f.Says("three-layer");
                Number("waterproof-rating", f.NounHas("storm") || threeLayer ? f.Round(20000, 28000, 1000) : f.Round(10000, 20000, 1000));
                Number("breathability", threeLayer ? f.Round(20000, 30000, 1000) : f.Round(10000, 20000, 1000));
                Choice("insulation", "None");
                Number("weight", Lighter(f.NounHas("packable") || f.NounHas("lightweight") || f.Says("packs into") ? f.Round(180, 280, 10) : f.NounHas("storm") ? f.Round(420, 540, 10) : f.Round(300, 420, 10)));
                break;
            }
            case "insulated-jackets":
            {
                var down = f.NounHas("down") || f.NounHas("belay") || !f.NounHas("synthetic") && (f.Says("800-fill") || f.Tagged("down") || f.Random.NextDouble() < 0.5);
                Choice("insulation", down ? "Down" : "Synthetic");
                Number("weight", Lighter(f.NounHas("vest") ? f.Round(180, 280, 10) : f.NounHas("parka") ? f.Round(600, 800, 10) : down ? f.Round(300, 450, 10) : f.Round(380, 540, 10)));
                break;
            }
            case "softshell-jackets":
                Number("waterproof-rating", f.Round(3000, 8000, 1000));
                Number("breathability", f.Round(15000, 30000, 1000));
                Choice("insulation", "None");
                Number("weight", Lighter(f.NounHas("hybrid") ? f.Round(280, 360, 10) : f.Round(360, 520, 10)));
                break;
            case "fleece-midlayers":
            {
                var wool = f.NounHas("wool") || f.Tagged("merino") && !f.Says("recycled polyester");
                Choice("material", wool ? "Merino wool" : "Polyester fleece");
                Number("weight", Lighter(f.NounHas("pile") ? f.Round(420, 560, 10) : f.NounHas("quarter-zip") ? f.Round(240, 340, 10) : f.Round(300, 440, 10)));
                break;
            }
            case "base-layers":
            {
                var merino = f.NounHas("merino") || f.Says("merino wool") || f.Tagged("merino");
                Choice("material", merino ? f.NounHas("merino") || f.Says("200 gsm merino") ? "Merino wool" : f.Pick("Merino wool", "Merino blend") : "Synthetic");
                Number("fabric-weight", f.Says("200 gsm") ? 200 : merino ? f.Round(150, 260, 10) : f.Round(120, 200, 10));
                break;
            }
            case "trousers-shorts":
            {
                var length = f.NounHas("shorts") ? "Shorts" : f.NounHas("convertible") ? "Convertible" : "Full length";
                Choice("length", length);
                YesNo("waterproof", f.NounHas("waterproof") || f.Tagged("waterproof"));
                Number("weight", Lighter(length == "Shorts" ? f.Round(170, 250, 10) : f.NounHas("overtrousers") ? f.Round(230, 330, 10) : f.Round(310, 450, 10)));
                break;
            }
            case "hats-gloves":
            {
                var merino = f.Says("merino") || f.Tagged("merino");
                Choice("material", f.NounHas("sun hat") ? f.Pick("Polyester", "Cotton") : f.NounHas("liner") || f.NounHas("gaiter") || merino ? "Merino blend"
                    : f.NounHas("mittens") || f.NounHas("waterproof") ? "Polyester" : "Fleece");
                YesNo("waterproof", f.NounHas("waterproof") || f.Says("waterproof insert") || f.NounHas("mittens") && f.Tagged("waterproof"));
                break;
            }
            case "socks":
                Choice("cushioning", f.NounHas("liner") || f.NounHas("running") ? "Light" : f.NounHas("trekking") ? "Heavy" : "Medium");
                Choice("material", f.NounHas("merino") || f.Says("merino") || f.Tagged("merino") ? "Merino blend" : "Synthetic");
                break;
            case "mountain-bikes" or "road-bikes" or "gravel-bikes":
            {
                var carbon = f.NounHas("carbon") || f.Says("full carbon") || !f.NounHas("alloy") && f.Price >= 2000m;
                var frame = carbon ? "Carbon" : f.NounHas("bikepacking") && f.Random.NextDouble() < 0.5 ? "Steel" : "Aluminium";
                Choice("frame-material", frame);
                if (category == "mountain-bikes")
                {
                    var full = f.NounHas("full-suspension") || f.NounHas("enduro") || !f.NounHas("hardtail") && (f.Tagged("full suspension") && !f.Tagged("hardtail") || f.NounHas("xc") && f.Random.NextDouble() < 0.4);
                    var travel = StatedNumber(f.Description, ForkTravel()) ?? (f.NounHas("enduro") ? f.Pick(160, 170, 180) : full ? f.Pick(120, 130, 140, 150) : f.Pick(100, 110, 120));
                    Number("weight", Lighter(Math.Round((full ? 14.8m : 13.2m) + (f.NounHas("enduro") ? 1.2m : 0) - (carbon ? 1.6m : 0) + f.Between(-5, 5) / 10m, 1)));
                    Number("gears", StatedNumber(f.Description, Speeds()) ?? f.Pick(11, 12));
                    Choice("wheel-size", f.NounHas("enduro") ? f.Pick("27.5\"", "29\"") : "29\"");
                    Choice("suspension", full ? "Full suspension" : "Hardtail");
                    Number("travel", travel);
                }
                else if (category == "road-bikes")
                {
                    Number("weight", Lighter(Math.Round((carbon ? 8.0m : 9.6m) + (f.NounHas("aero") ? 0.3m : 0) + f.Between(-5, 5) / 10m, 1)));
                    Number("gears", f.Says("2x12") ? 24 : f.Pick(22, 24));
                    Choice("wheel-size", "700c");
                }
                else
                {
                    Number("weight", Lighter(Math.Round((carbon ? 8.9m : frame == "Steel" ? 11.4m : 10.2m) + f.Between(-5, 5) / 10m, 1)));
                    Number("gears", f.Says("1x12") ? 12 : f.Pick(11, 12, 22));
                    Choice("wheel-size", f.NounHas("bikepacking") ? f.Pick("650b", "700c") : "700c");
                }
                break;
            }
            case "bike-helmets":
            {
                var (grams, vents) = f.NounHas("full-face") ? (f.Round(820, 1100, 10), f.Between(10, 16)) : f.NounHas("aero") ? (f.Round(270, 320, 5), f.Between(6, 10))
                    : f.NounHas("trail") ? (f.Round(320, 380, 5), f.Between(12, 18)) : f.NounHas("commuter") ? (f.Round(350, 430, 5), f.Between(8, 14)) : (f.Round(220, 280, 5), f.Between(18, 28));
                Number("weight", Lighter(grams));
                YesNo("mips", f.Says("rotational impact") || f.Tagged("mips"));
                Number("vents", f.Says("eighteen vents") ? 18 : vents);
                break;
            }
            case "cycling-clothing":
                Choice("season", f.NounHas("thermal") || f.Tagged("thermal") && !f.NounHas("rain") ? "Winter" : f.NounHas("gilet") || f.NounHas("rain") ? "All-year" : "Summer");
                Choice("fit", f.Says("race-cut") ? "Race" : f.Pick("Race", "Regular"));
                break;
            case "bike-accessories":
                Number("weight", f.NounHas("front light") ? f.Round(110, 180, 5) : f.NounHas("rear light") ? f.Round(25, 60, 5)
                    : f.NounHas("pump") ? f.Round(80, 130, 5) : f.NounHas("lock") ? f.Round(850, 1500, 10) : f.Round(110, 200, 5));
                break;
            case "harnesses":
                Number("weight", StatedNumber(f.Description, Grams()) ?? (f.NounHas("alpine") ? f.Round(250, 330, 5) : f.NounHas("trad") ? f.Round(400, 480, 5) : f.Round(320, 400, 5)));
                Number("gear-loops", f.Says("four gear loops") ? 4 : f.NounHas("kids") ? 2 : f.NounHas("trad") ? 5 : 4);
                break;
            case "ropes":
            {
                var diameter = LeadingDecimal(f.Noun) ?? 9.8m;
                Number("diameter", diameter);
                Number("weight-per-metre", Math.Round(diameter * diameter * 0.66m));
                Choice("dry-treatment", f.Says("dry-treated sheath and core") ? "Sheath and core" : f.NounHas("gym") ? "None" : f.Tagged("dry treated") ? "Sheath" : f.Pick("None", "Sheath"));
                break;
            }
            case "climbing-shoes":
                Choice("profile", f.NounHas("aggressive") || f.Says("downturned") && !f.NounHas("all-day") && !f.NounHas("kids") ? "Aggressive"
                    : f.NounHas("all-day") || f.NounHas("kids") ? "Flat" : "Moderate");
                Choice("closure", f.Says("velcro") || f.Tagged("velcro") || f.NounHas("kids") ? "Velcro" : f.Pick("Lace", "Slipper", "Velcro"));
                Number("rubber-thickness", f.Says("4 mm sticky rubber") ? 4m : f.Pick(3.5m, 4m, 4.5m));
                break;
            case "climbing-hardware":
                if (f.NounHas("belay"))
                {
                    Number("weight", f.Round(170, 230, 5));
                }
                else
                {
                    Number("weight", f.NounHas("quickdraw") ? f.Round(540, 660, 10) : f.NounHas("hms") ? f.Round(70, 90, 1) : f.Round(48, 70, 1));
                    Number("strength", f.Says("24 kn") ? 24 : f.NounHas("hms") ? f.Between(24, 27) : f.Between(22, 25));
                }
                break;
            case "kayaks-paddleboards":
            {
                var inflatable = f.NounHas("inflatable");
                var (length, load, kilos) = f.NounHas("paddleboard") ? (f.Round(305, 350, 5), f.Round(110, 150, 10), f.Between(85, 120) / 10m)
                    : f.NounHas("touring") ? (f.Round(430, 520, 5), f.Round(130, 160, 10), f.Between(210, 270) / 10m)
                    : inflatable ? (f.Round(300, 390, 5), f.Round(150, 200, 10), f.Between(120, 170) / 10m)
                    : (f.Round(300, 380, 5), f.Round(120, 160, 10), f.Between(200, 280) / 10m);
                Number("length", length);
                Number("max-load", load);
                YesNo("inflatable", inflatable);
                Number("weight", kilos);
                break;
            }
            case "wetsuits":
                Number("thickness", LeadingNumber(f.Noun) ?? (f.NounHas("shorty") ? 2 : 4));
                Choice("zip", f.Says("back zip") ? "Back zip" : f.NounHas("swimrun") ? "Chest zip" : f.Pick("Back zip", "Chest zip", "Zipless"));
                break;
            case "swimwear":
                YesNo("chlorine-resistant", f.Says("chlorine-resistant") || f.NounHas("jammer") || f.NounHas("swimsuit") && f.Random.NextDouble() < 0.5);
                if (f.Says("upf 50") || f.Tagged("upf 50") || f.NounHas("rash vest"))
                {
                    Number("upf", 50);
                }
                break;
            case "skis":
            {
                var (waist, grams) = f.NounHas("piste") ? (f.Between(68, 76), f.Round(3600, 4200, 50)) : f.NounHas("touring") ? (f.Between(82, 95), f.Round(2400, 2900, 50))
                    : f.NounHas("freeride") ? (f.Between(100, 115), f.Round(3800, 4300, 50)) : (f.Between(84, 96), f.Round(3300, 3900, 50));
                Number("waist-width", waist);
                Number("weight", Lighter(grams));
                Choice("profile", f.Says("rocker-camber-rocker") ? "Rocker-camber-rocker" : f.NounHas("piste") ? "Camber" : f.NounHas("freeride") ? f.Pick("Rocker-camber-rocker", "Full rocker") : f.Pick("Camber", "Rocker-camber-rocker"));
                break;
            }
            case "snowboards":
                Number("flex", f.Says("medium flex") ? 5 : f.NounHas("freestyle") ? f.Between(3, 5) : f.NounHas("splitboard") ? f.Between(6, 7) : f.Between(5, 7));
                Choice("profile", f.NounHas("freestyle") ? f.Pick("Rocker", "Hybrid") : f.NounHas("powder") ? f.Pick("Hybrid", "Rocker") : f.Pick("Hybrid", "Camber"));
                break;
            case "goggles":
            {
                var lens = f.NounHas("photochromic") ? "Photochromic" : f.NounHas("magnetic") ? "Magnetic"
                    : f.Says("magnetic lenses") ? "Magnetic" : f.Says("photochromic lens") ? "Photochromic" : "Standard";
                Choice("lens", lens);
                Number("vlt", f.NounHas("kids") ? f.Between(30, 45) : lens == "Photochromic" ? f.Between(18, 40) : f.Between(10, 28));
                break;
            }
            case "yoga":
            {
                var block = f.NounHas("block");
                var (thickness, grams) = block ? (f.Pick(75, 100), f.Round(380, 600, 10)) : f.NounHas("travel") ? (f.Pick(1, 2), f.Round(800, 1100, 10))
                    : f.NounHas("pilates") ? (f.Pick(8, 10), f.Round(1000, 1500, 10)) : (f.Pick(4, 5, 6), f.Round(1800, 2500, 10));
                Number("thickness", thickness);
                Choice("material", block ? "Cork" : f.Says("natural rubber") || f.Tagged("natural rubber") ? "Natural rubber" : f.Pick("TPE", "PVC"));
                Number("weight", grams);
                break;
            }
            case "weights":
                Choice("material", f.NounHas("hex") || f.Says("rubber-coated") ? "Rubber-coated" : f.NounHas("adjustable") ? "Chrome" : "Cast iron");
                YesNo("adjustable", f.NounHas("adjustable"));
                break;
            case "football":
                Choice("construction", f.NounHas("match") || f.Says("thermally bonded") ? "Thermally bonded" : "Stitched");
                Choice("surface", f.NounHas("futsal") ? "Indoor" : f.NounHas("all-weather") ? "All-weather" : "Grass");
                break;
            case "basketball":
                Choice("cover", f.NounHas("outdoor") ? "Rubber" : f.NounHas("composite") || f.Says("composite leather") ? "Composite leather" : f.Pick("Leather", "Composite leather"));
                Choice("court", f.NounHas("outdoor") ? "Outdoor" : f.NounHas("indoor") ? "Indoor" : "Indoor/Outdoor");
                break;
            case "tennis":
                Number("head-size", f.Says("100 square-inch") ? 100 : f.NounHas("power") ? f.Between(105, 110) : f.NounHas("control") ? f.Between(95, 98) : 100);
                Number("weight", f.Says("285 g unstrung") ? 285 : f.NounHas("junior") ? f.Round(220, 260, 5) : f.NounHas("power") ? f.Round(255, 280, 5) : f.NounHas("control") ? f.Round(300, 320, 5) : f.Round(280, 300, 5));
                break;
        }
        return specs;
    }

    /// <summary>"3 Dome Tent": 3; "22 Daypack": 22; "3/2 Full Wetsuit": 3.</summary>
    private static int? LeadingNumber(string noun) =>
        LeadingInteger().Match(noun) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>"9.5 Dynamic Rope": 9.5.</summary>
    private static decimal? LeadingDecimal(string noun) =>
        LeadingNumberWithDecimals().Match(noun) is { Success: true } m ? decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static int? StatedNumber(string text, Regex pattern) =>
        pattern.Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : null;

    private static decimal? StatedDecimal(string text, Regex pattern) =>
        pattern.Match(text) is { Success: true } m ? decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^(\d+)\b")]
    private static partial Regex LeadingInteger();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\b")]
    private static partial Regex LeadingNumberWithDecimals();

    [GeneratedRegex(@"comfort rated to (-?\d+) °c")]
    private static partial Regex ComfortRating();

    [GeneratedRegex(@"r-value of (\d+(?:\.\d+)?)")]
    private static partial Regex RValue();

    [GeneratedRegex(@"(\d+) lumens")]
    private static partial Regex Lumens();

    [GeneratedRegex(@"(\d+) mm drop")]
    private static partial Regex Drop();

    [GeneratedRegex(@"a (\d+) mm air fork")]
    private static partial Regex ForkTravel();

    [GeneratedRegex(@"(\d+)-speed")]
    private static partial Regex Speeds();

    [GeneratedRegex(@"weighs just (\d+) g")]
    private static partial Regex Grams();

    [GeneratedRegex(@"\b(lite|sl|ultra|air)\b")]
    private static partial Regex LightEditionWord();
}
