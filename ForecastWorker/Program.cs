using ForecastWorker.Apis;
using ForecastWorker.Backtest;
using ForecastWorker.Extensions;

// `backtest ...` is a command-line tool over a CSV file; it runs before (and without) the web host.
if (args is ["backtest", ..])
{
    Environment.ExitCode = BacktestCommand.Run(args[1..], Console.Out, Console.Error);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Demand forecasts per variant and product with 80/95% intervals, reorder suggestions, restock estimates and forecast runs.");
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapForecastApi();

app.Run();
