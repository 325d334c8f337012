using AssistantApi.Apis;
using AssistantApi.Evaluation;
using AssistantApi.Extensions;

// `dotnet run --project AssistantApi -- eval --url ...` replays the development set against a running app.
if (args.Length > 0 && args[0] == "eval")
{
    return await EvalCommand.RunAsync(args[1..]);
}
// `dotnet run --project AssistantApi -- train-intents` trains the local engine's intent model and reports its accuracy.
if (args.Length > 0 && args[0] == "train-intents")
{
    return TrainIntentsCommand.Run(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultOpenApi("The shopping assistant: one chat turn at a time, answered as JSON or streamed as server-sent events, acting through the other APIs with the caller's own rights.");
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapAssistantApi();

app.Run();
return 0;

/// <summary>The entry point; public for tests.</summary>
public partial class Program;
