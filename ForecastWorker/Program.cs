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
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapForecastApi();

app.Run();
