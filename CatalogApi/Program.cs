using CatalogApi.Apis;
using CatalogApi.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Products, variants, categories and brands (anyone reads; admins write), search with facets, stock levels and movements, and reservations (never oversell).");
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapStockApi();
app.MapRatingsApi();

app.Run();
