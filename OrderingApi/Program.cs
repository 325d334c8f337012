using OrderingApi.Apis;
using OrderingApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Accounts and sign-in (bearer tokens every service accepts), roles, carts, idempotent checkout, orders and their states, and sales history.");
builder.AddApplicationServices();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapIdentityApi();
app.MapCartApi();
app.MapOrdersApi();
app.MapSalesApi();
app.MapFavouritesApi();
app.MapReviewsApi();

app.Run();
