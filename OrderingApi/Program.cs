using OrderingApi.Apis;
using OrderingApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapIdentityApi();
app.MapCartApi();
app.MapOrdersApi();
app.MapSalesApi();

app.Run();
