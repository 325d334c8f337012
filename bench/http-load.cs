#:property PublishAot=false
// A small HTTP load loop for the benchmarks: CONCURRENCY loops GET URL for SECONDS, as fast as they can
// or, with RATE, RATE requests per second in all; then one line "requests=N rps=R p50=A p95=B p99=C errors=E"
// (latencies in ms). Run: dotnet run bench/http-load.cs -- URL SECONDS CONCURRENCY [RATE]
using System.Diagnostics;
using System.Globalization;

var url = new Uri(args[0]);
var duration = TimeSpan.FromSeconds(double.Parse(args[1], CultureInfo.InvariantCulture));
var concurrency = int.Parse(args[2], CultureInfo.InvariantCulture);
var rate = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0;
// Paced: each loop starts its requests on a fixed schedule (catching up, not waiting, after a slow answer).
var interval = rate > 0 ? TimeSpan.FromSeconds(concurrency / rate) : TimeSpan.Zero;

// No trace headers of our own: each request starts its trace in the service, as a browser's would.
using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, ActivityHeadersPropagator = null })
{
    Timeout = TimeSpan.FromSeconds(30),
};
var clock = Stopwatch.StartNew();
var errors = 0;
var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
{
    var latencies = new List<double>();
    var next = interval * worker / concurrency;
    while (clock.Elapsed < duration)
    {
        if (interval > TimeSpan.Zero)
        {
            if (next > clock.Elapsed)
            {
                await Task.Delay(next - clock.Elapsed);
            }
            next += interval;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(url);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref errors);
        }
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return latencies;
})).ToList();

var all = (await Task.WhenAll(workers)).SelectMany(l => l).Order().ToList();
double Percentile(double q) => all.Count == 0 ? 0 : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"requests={all.Count} rps={all.Count / clock.Elapsed.TotalSeconds:0.0} p50={Percentile(0.50):0.00} p95={Percentile(0.95):0.00} p99={Percentile(0.99):0.00} errors={errors}"));
