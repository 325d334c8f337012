#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// An OTLP/HTTP receiver that counts what the services send and keeps nothing else, for `PROFILE=1 bench/checkout.sh`:
// spans by (service, instrumentation scope, span name) and log records by (service, category). It reads the
// protobuf wire format directly (traces and logs nest alike: resource -> scope -> items).
// GET /counts answers the counts as tab-separated lines ("spans|logs service scope name count"); DELETE /counts
// starts over. Run: dotnet checkout-otlp-count.dll PORT
using System.Collections.Concurrent;
using System.Net;
using System.Text;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture)));
var app = builder.Build();
var counts = new ConcurrentDictionary<(string Signal, string Service, string Scope, string Name), long>();

app.MapPost("/v1/{signal}", async (string signal, HttpContext context) =>
{
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body);
    if (signal is "traces" or "logs")
    {
        Count(signal, body.ToArray());
    }
    context.Response.ContentType = "application/x-protobuf";
});
app.MapGet("/counts", () => string.Concat(counts.OrderBy(c => c.Key).Select(c => $"{c.Key.Signal}\t{c.Key.Service}\t{c.Key.Scope}\t{c.Key.Name}\t{c.Value}\n")));
app.MapDelete("/counts", () => counts.Clear());
app.Run();

// Export*ServiceRequest { 1: Resource*s { 1: Resource { 1: KeyValue attributes }, 2: Scope* { 1: scope { 1: name }, 2: items } } }
// A span's name is its field 5; a log record is counted under its scope (the logger's category).
void Count(string signal, byte[] message)
{
    foreach (var resourceItems in Fields(message, 1))
    {
        var service = "?";
        foreach (var resource in Fields(resourceItems, 1))
        {
            foreach (var attribute in Fields(resource, 1))
            {
                if (Text(attribute, 1) == "service.name")
                {
                    service = Fields(attribute, 2).Select(v => Text(v, 1)).FirstOrDefault() ?? "?";
                }
            }
        }
        foreach (var scoped in Fields(resourceItems, 2))
        {
            var scope = Fields(scoped, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? "";
            foreach (var item in Fields(scoped, 2))
            {
                var name = signal == "traces" ? Text(item, 5) ?? "" : "";
                counts.AddOrUpdate((signal == "traces" ? "spans" : "logs", service, scope, name), 1, (_, n) => n + 1);
            }
        }
    }
}

static string? Text(ReadOnlyMemory<byte> message, int field) =>
    Fields(message, field).Select(f => Encoding.UTF8.GetString(f.Span)).FirstOrDefault();

// The length-delimited fields numbered `field` of a protobuf message (other wire types are skipped).
static List<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int field)
{
    var found = new List<ReadOnlyMemory<byte>>();
    var span = message.Span;
    var at = 0;
    while (at < span.Length)
    {
        var tag = Varint(span, ref at);
        switch ((int)(tag & 7))
        {
            case 0: Varint(span, ref at); break;
            case 1: at += 8; break;
            case 5: at += 4; break;
            case 2:
                var length = (int)Varint(span, ref at);
                if ((int)(tag >> 3) == field)
                {
                    found.Add(message.Slice(at, length));
                }
                at += length;
                break;
            default: return found; // groups (unused by OTLP)
        }
    }
    return found;
}

static ulong Varint(ReadOnlySpan<byte> span, ref int at)
{
    ulong value = 0;
    for (var shift = 0; at < span.Length; shift += 7)
    {
        var b = span[at++];
        value |= (ulong)(b & 0x7f) << shift;
        if (b < 0x80)
        {
            break;
        }
    }
    return value;
}
