#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// An OTLP/HTTP receiver that reads each export and throws it away, for the telemetry benchmark:
// the services export to it exactly as to the dashboard, so comparing the two isolates what the
// dashboard's receiver and store cost. Run: dotnet otlp-sink.dll PORT
using System.Net;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture)));
var app = builder.Build();
app.MapPost("/v1/{signal}", async (HttpContext context) =>
{
    await context.Request.Body.CopyToAsync(Stream.Null);
    context.Response.ContentType = "application/x-protobuf";
});
app.Run();
