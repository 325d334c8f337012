#:property PublishAot=false
// The checkout benchmark's load: CONCURRENCY signed-in customers, each in a loop: add two lines to the cart (two
// different variants of products made for the run with plenty of stock), then check out (card, a new
// Idempotency-Key each time). Prints "orders=N seconds=S orders_per_s=R checkout_p50=A checkout_p99=B flow_p50=C
// flow_p99=D errors=E warmup_orders=W warmup_seconds=V" (latencies in ms; a flow is add + add + checkout). The warm-up
// (WARMUP_SECONDS, default 40) runs the same load first: the services have just started, and their JIT compiler is busy
// re-compiling hot code for about the first minute; the measured run is the shop as it runs from then on.
// With APPHOST_PID it also reports the CPU seconds the app's whole process tree used during the measured run.
// Run: dotnet checkout-load.dll ORDERING_URL CATALOG_URL ADMIN_EMAIL ADMIN_PASSWORD CONCURRENCY SECONDS [APPHOST_PID] [WARMUP_SECONDS]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

var ordering = new Uri(args[0]);
var catalog = new Uri(args[1]);
var (adminEmail, adminPassword) = (args[2], args[3]);
var concurrency = int.Parse(args[4], CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(double.Parse(args[5], CultureInfo.InvariantCulture));
var appRoot = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 0;
var warmupLength = TimeSpan.FromSeconds(args.Length > 7 ? double.Parse(args[7], CultureInfo.InvariantCulture) : 40);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2, ActivityHeadersPropagator = null })
{
    Timeout = TimeSpan.FromSeconds(30),
};
var addressCounter = 0;

// Every caller says it is its own client (as the storefront forwards shoppers' addresses): sign-in rate limits are per address.
// The load is as light as it can be (it shares the machine with the app): the loop's answers are read, not parsed.
async Task<JsonElement> SendAsync(Uri service, HttpMethod method, string path, string? token, object? body, string? idempotencyKey = null, int expected = 200, bool parse = true)
{
    using var request = new HttpRequestMessage(method, new Uri(service, path));
    request.Headers.Add("X-Forwarded-For", $"2001:db8:b::{Interlocked.Increment(ref addressCounter):x}");
    if (token is not null)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }
    if (idempotencyKey is not null)
    {
        request.Headers.Add("Idempotency-Key", idempotencyKey);
    }
    if (body is not null)
    {
        request.Content = JsonContent.Create(body);
    }
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if ((int)response.StatusCode != expected)
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
    return text.Length == 0 || !parse ? default : JsonDocument.Parse(text).RootElement.Clone();
}

async Task<string> LoginAsync(string email, string password) =>
    (await SendAsync(ordering, HttpMethod.Post, "/api/identity/login", null, new { email, password })).GetProperty("accessToken").GetString()!;

// Products for the run: 8 products x 6 sizes, 100,000 units each, so stock never runs out.
var admin = await LoginAsync(adminEmail, adminPassword);
var brands = await SendAsync(catalog, HttpMethod.Get, "/api/catalog/brands", null, null);
var categories = await SendAsync(catalog, HttpMethod.Get, "/api/catalog/categories", null, null);
var categoryId = categories.EnumerateArray().SelectMany(c => c.GetProperty("children").EnumerateArray()).First().GetProperty("id").GetInt32();
var variants = new List<int>();
var sizes = new[] { "XS", "S", "M", "L", "XL", "XXL" };
for (var p = 0; p < 8; p++)
{
    var created = await SendAsync(catalog, HttpMethod.Post, "/api/catalog/products", admin, new
    {
        name = $"Bench Trail Shirt {Guid.NewGuid().ToString("N")[..8]}",
        description = "Made by the checkout benchmark.",
        brandId = brands[0].GetProperty("id").GetInt32(),
        categoryId,
        tags = new[] { "bench" },
        options = new[] { new { name = "Size", values = sizes } },
        variants = sizes.Select(size => new { options = new Dictionary<string, string> { ["Size"] = size }, price = 29.9m, onHand = 100_000, reorderPoint = 5 }).ToArray(),
    }, expected: 201);
    variants.AddRange(created.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("id").GetInt32()));
}

// The customers, with a default shipping address in their profile (so checkout bodies carry only the payment).
var customers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async i =>
{
    var email = $"bench-{Guid.NewGuid():N}@example.test";
    var password = $"Bench-{Guid.NewGuid():N}-A1"; // fresh per customer: no account with a known password
    await SendAsync(ordering, HttpMethod.Post, "/api/identity/register", null, new { email, password, name = $"Bench {i}" }, expected: 201);
    var token = await LoginAsync(email, password);
    var address = new { fullName = $"Bench {i}", line1 = "1 Load Street", city = "Oslo", postalCode = "0150", country = "Norway" };
    await SendAsync(ordering, HttpMethod.Put, "/api/identity/profile", token, new { name = $"Bench {i}", defaultShippingAddress = address });
    return token;
}));

var errors = 0;
string? firstError = null;
async Task<(List<double> Checkout, List<double> Flow)> RunAsync(string token, int worker, TimeSpan length)
{
    var random = new Random(worker);
    var (checkout, flow) = (new List<double>(), new List<double>());
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < length)
    {
        var first = variants[random.Next(variants.Count)];
        var second = variants[random.Next(variants.Count)];
        while (second == first)
        {
            second = variants[random.Next(variants.Count)];
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await SendAsync(ordering, HttpMethod.Post, "/api/cart/items", token, new { variantId = first, quantity = 1 }, parse: false);
            await SendAsync(ordering, HttpMethod.Post, "/api/cart/items", token, new { variantId = second, quantity = 2 }, parse: false);
            var checkoutStarted = Stopwatch.GetTimestamp();
            await SendAsync(ordering, HttpMethod.Post, "/api/orders", token, new { paymentMethod = "card", cardNumber = "4242424242424242" },
                Guid.NewGuid().ToString(), expected: 201, parse: false);
            checkout.Add(Stopwatch.GetElapsedTime(checkoutStarted).TotalMilliseconds);
            flow.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref errors);
            Interlocked.CompareExchange(ref firstError, e.Message, null);
        }
    }
    return (checkout, flow);
}

// Warm-up (JIT, pools), then the measured run; the app's CPU time is read around the run.
var warmupClock = Stopwatch.StartNew();
var warmup = (await Task.WhenAll(customers.Select((token, i) => RunAsync(token, i, warmupLength)))).Sum(r => r.Checkout.Count);
var warmupSeconds = warmupClock.Elapsed.TotalSeconds;
errors = 0;
var cpuBefore = TreeCpu(appRoot);
var run = Stopwatch.StartNew();
var results = await Task.WhenAll(customers.Select((token, i) => RunAsync(token, 1000 + i, duration)));
var elapsed = run.Elapsed.TotalSeconds;
var cpuAfter = TreeCpu(appRoot);
var cpuByPart = cpuAfter.Select(p => (p.Key, Seconds: p.Value - cpuBefore.GetValueOrDefault(p.Key))).OrderByDescending(p => p.Seconds).ToList();
var appCpu = cpuByPart.Sum(p => p.Seconds);

var checkouts = results.SelectMany(r => r.Checkout).Order().ToList();
var flows = results.SelectMany(r => r.Flow).Order().ToList();
double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"orders={checkouts.Count} seconds={elapsed:0.0} orders_per_s={checkouts.Count / elapsed:0.0} checkout_p50={Percentile(checkouts, 0.5):0.0} checkout_p99={Percentile(checkouts, 0.99):0.0} flow_p50={Percentile(flows, 0.5):0.0} flow_p99={Percentile(flows, 0.99):0.0} errors={errors} warmup_orders={warmup} warmup_seconds={warmupSeconds:0.0} app_cpu_seconds={appCpu:0.00} cpu_by_part={string.Join(',', cpuByPart.Where(p => p.Seconds >= 0.01).Select(p => $"{p.Key}:{p.Seconds:0.00}"))}"));
if (firstError is not null)
{
    Console.Error.WriteLine($"first error: {firstError}");
}

// CPU seconds (user + system, with reaped children) of the AppHost and all its descendants, and of Aspire's DCP (which runs
// detached, watching the AppHost: `dcp start-apiserver --monitor PID`) and its descendants (the resources and the dashboard),
// from /proc, summed by part: the program a process runs (the dll for dotnet processes, else its name: postgres, redis-server).
static Dictionary<string, double> TreeCpu(int root)
{
    var result = new Dictionary<string, double>();
    if (root <= 0)
    {
        return result;
    }
    var parents = new Dictionary<int, int>();
    var cpu = new Dictionary<int, (string Part, long Ticks)>();
    var roots = new HashSet<int> { root };
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        if (!int.TryParse(Path.GetFileName(dir), out var pid))
        {
            continue;
        }
        try
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            var dll = arguments.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
            if (arguments.Contains("start-apiserver") && arguments.SkipWhile(a => a != "--monitor").Skip(1).FirstOrDefault() == root.ToString(CultureInfo.InvariantCulture))
            {
                roots.Add(pid);
            }
            parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            cpu[pid] = (dll is null ? name : Path.GetFileNameWithoutExtension(dll), fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)));
        }
        catch (IOException)
        {
        }
    }
    bool Under(int pid)
    {
        for (var p = pid; p > 1; p = parents.GetValueOrDefault(p))
        {
            if (roots.Contains(p))
            {
                return true;
            }
        }
        return false;
    }
    foreach (var (pid, (part, ticks)) in cpu.Where(c => Under(c.Key)))
    {
        result[part] = result.GetValueOrDefault(part) + ticks / 100.0; // USER_HZ is 100 on Linux
    }
    return result;
}
