using ECommerce.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var catalogDb = postgres.AddDatabase("catalogdb");
var orderingDb = postgres.AddDatabase("orderingdb");
var forecastDb = postgres.AddDatabase("forecastdb");

var redis = builder.AddRedis("redis");

// The first admin's sign-in: generated on the first run, kept in DATA_DIR/admin-credentials.json.
var admin = builder.AddCredentials("admin-credentials", email: "admin@summit-outfitters.example").Resource;

var catalogApi = builder.AddProject<Projects.CatalogApi>("catalog-api", port: 5101)
    .WithReference(catalogDb).WaitFor(catalogDb)
    .WithReference(redis).WaitFor(redis);

var orderingApi = builder.AddProject<Projects.OrderingApi>("ordering-api", port: 5102)
    .WithReference(orderingDb).WaitFor(orderingDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(catalogApi)
    .WithEnvironment("Identity__Admin__Email", () => admin.Email)
    .WithEnvironment("Identity__Admin__Password", () => admin.Password);

var forecastWorker = builder.AddProject<Projects.ForecastWorker>("forecast-worker", port: 5103)
    .WithReference(forecastDb).WaitFor(forecastDb)
    .WithReference(orderingApi);

var assistantApi = builder.AddProject<Projects.AssistantApi>("assistant-api", port: 5104)
    .WithReference(redis).WaitFor(redis)
    .WithReference(catalogApi)
    .WithReference(orderingApi)
    .WithReference(forecastWorker);

builder.AddProject<Projects.Storefront>("storefront", port: 5100)
    .WithReference(redis).WaitFor(redis)
    .WithReference(catalogApi)
    .WithReference(orderingApi)
    .WithReference(forecastWorker)
    .WithReference(assistantApi);

builder.Build().Run();

/// <summary>The AppHost's entry point; public so the testing host can run this app model.</summary>
public partial class Program;
