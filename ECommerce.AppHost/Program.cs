using ECommerce.AppHost;
using ECommerce.AppHost.Local;

LocalMachine local;
try
{
    local = LocalMachine.Prepare(args);
}
catch (AppHostException e)
{
    Console.Error.WriteLine(e.ToString());
    return e.ExitCode;
}
var builder = LocalHosting.CreateBuilder(local);

var postgres = builder.AddLocalPostgres("postgres", local, local.Port("postgres"));
var catalogDb = postgres.AddDatabase("catalogdb");
var orderingDb = postgres.AddDatabase("orderingdb");
var forecastDb = postgres.AddDatabase("forecastdb");
// The data-protection key ring every service shares: bearer tokens issued by ordering-api are read everywhere.
var keyringDb = postgres.AddDatabase("keyringdb");

var redis = builder.AddLocalRedis("redis", local, local.Port("redis"));

// The first admin's sign-in, generated on the first run and kept in DATA_DIR/admin-credentials.json.
var admin = local.LoadOrCreateCredentials("admin-credentials", "admin@summit-outfitters.example");
// forecast-worker's own identity for pulling sales: ordering-api exchanges it for a service token with the
// scopes of Identity:Clients:forecast-worker (secret kept in DATA_DIR/forecast-worker-client.json).
const string forecastClientId = "forecast-worker";
var forecastClient = local.LoadOrCreateCredentials("forecast-worker-client", forecastClientId);

// catalog-api, ordering-api, forecast-worker and assistant-api run as --replicas N each (LocalMachine.ReplicatedServices);
// the storefront runs once: its Blazor Server circuits live in one process and there is no sticky load balancer.
var catalogApi = builder.AddService<Projects.CatalogApi>("catalog-api", local)
    .WithReference(catalogDb).WaitFor(catalogDb)
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(redis).WaitFor(redis)
    // The sample catalog's size (--Catalog:SeedProducts=100000 on the AppHost's command line; 0: the 192 hand-made products).
    .WithEnvironment("Catalog__SeedProducts", builder.Configuration["Catalog:SeedProducts"] ?? "0");

var orderingApi = builder.AddService<Projects.OrderingApi>("ordering-api", local)
    .WithReference(orderingDb).WaitFor(orderingDb)
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(catalogApi)
    .WithEnvironment("Identity__Admin__Email", admin.Email)
    .WithEnvironment("Identity__Admin__Password", admin.Password)
    .WithEnvironment($"Identity__Clients__{forecastClientId}__Secret", forecastClient.Password);

var forecastWorker = builder.AddService<Projects.ForecastWorker>("forecast-worker", local)
    .WithReference(forecastDb).WaitFor(forecastDb)
    .WithReference(keyringDb).WaitFor(keyringDb)
    // Sign-ins that ended early are announced through Redis.
    .WithReference(redis).WaitFor(redis)
    // Sales from ordering-api, stock levels from catalog-api (each with its own service token).
    .WithReference(orderingApi).WaitFor(orderingApi)
    .WithReference(catalogApi)
    .WithEnvironment("ServiceAuthentication__ClientId", forecastClientId)
    .WithEnvironment("ServiceAuthentication__ClientSecret", forecastClient.Password);

var assistantApi = builder.AddService<Projects.AssistantApi>("assistant-api", local)
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(catalogApi)
    .WithReference(orderingApi)
    .WithReference(forecastWorker);
// An OpenAI-compatible model when the AppHost is given one (ConnectionStrings:chat = Endpoint=...;Key=...;Model=...); else the local engine.
if (builder.Configuration["ConnectionStrings:chat"] is { Length: > 0 } chat)
{
    assistantApi.WithEnvironment("ConnectionStrings__chat", chat);
}

builder.AddService<Projects.Storefront>("storefront", local)
    .WithReference(redis).WaitFor(redis)
    // Its sign-in cookie's keys: in the shared key ring, so sign-ins survive restarts and work on every instance.
    .WithReference(keyringDb).WaitFor(keyringDb)
    .WithReference(catalogApi)
    .WithReference(orderingApi)
    .WithReference(forecastWorker)
    .WithReference(assistantApi);

var app = builder.Build();
if (!local.Options.Quiet)
{
    builder.PrintEndpoints(local);
}
app.Run();
if (local.Options.Ephemeral)
{
    Directory.Delete(local.Options.DataDir, recursive: true);
}
return 0;
