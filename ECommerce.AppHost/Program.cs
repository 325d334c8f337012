using ECommerce.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var catalogDb = postgres.AddDatabase("catalogdb");
var orderingDb = postgres.AddDatabase("orderingdb");
var forecastDb = postgres.AddDatabase("forecastdb");
// The data-protection key ring every service shares: bearer tokens issued by ordering-api are read everywhere.
var keyringDb = postgres.AddDatabase("keyringdb");

var redis = builder.AddRedis("redis");

// The first admin's sign-in: generated on the first run, kept in DATA_DIR/admin-credentials.json.
var admin = builder.AddCredentials("admin-credentials", email: "admin@summit-outfitters.example").Resource;

// forecast-worker's own identity for pulling sales (client id + generated secret, kept in DATA_DIR/forecast-worker-client.json):
// ordering-api exchanges it for a service token with the scopes of Identity:Clients:forecast-worker.
const string forecastClientId = "forecast-worker";
var forecastClient = builder.AddCredentials("forecast-worker-client", email: forecastClientId).Resource;

var catalogApi = builder.AddProject<Projects.CatalogApi>("catalog-api", port: 5101)
    .WithReference(catalogDb).WaitFor(catalogDb)
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(redis).WaitFor(redis);

var orderingApi = builder.AddProject<Projects.OrderingApi>("ordering-api", port: 5102)
    .WithReference(orderingDb).WaitFor(orderingDb)
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(catalogApi)
    .WithEnvironment("Identity__Admin__Email", () => admin.Email)
    .WithEnvironment("Identity__Admin__Password", () => admin.Password)
    .WithEnvironment($"Identity__Clients__{forecastClientId}__Secret", () => forecastClient.Password);

var forecastWorker = builder.AddProject<Projects.ForecastWorker>("forecast-worker", port: 5103)
    .WithReference(forecastDb).WaitFor(forecastDb)
    .WithReference(keyringDb).WaitFor(keyringDb)
    // Sales from ordering-api, stock levels from catalog-api (each with its own service token).
    .WithReference(orderingApi).WaitFor(orderingApi)
    .WithReference(catalogApi)
    .WithEnvironment("ServiceAuthentication__ClientId", forecastClientId)
    .WithEnvironment("ServiceAuthentication__ClientSecret", () => forecastClient.Password);

var assistantApi = builder.AddProject<Projects.AssistantApi>("assistant-api", port: 5104)
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(catalogApi)
    .WithReference(orderingApi)
    .WithReference(forecastWorker);
// The assistant uses an OpenAI-compatible model when the AppHost is given one (Endpoint=...;Key=...;Model=...); else its local engine.
if ((Environment.GetEnvironmentVariable("ConnectionStrings__chat") ?? Environment.GetEnvironmentVariable("ConnectionStrings:chat")) is { Length: > 0 } chat)
{
    assistantApi.WithEnvironment("ConnectionStrings__chat", chat);
}

builder.AddProject<Projects.Storefront>("storefront", port: 5100)
    .WithReference(redis).WaitFor(redis)
    // Its sign-in cookie's keys: kept in the shared key ring so sign-ins survive restarts and work on every instance.
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(catalogApi)
    .WithReference(orderingApi)
    .WithReference(forecastWorker)
    .WithReference(assistantApi);

builder.Build().Run();

/// <summary>The AppHost's entry point; public so the testing host can run this app model.</summary>
public partial class Program;
