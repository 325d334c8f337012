using System.Diagnostics;
using AssistantApi.Engines.Local;

namespace AssistantApi.Evaluation;

/// <summary>
/// <c>dotnet run --project AssistantApi -- train-intents [--out PATH] [--folds 5]</c>: cross-validates the intent model
/// on <c>Engines/Local/Training/intents.txt</c>, prints its accuracy, then trains it on all of it and writes the model
/// file the app loads (by default <c>AssistantApi/Engines/Local/Training/intent-model.zip</c>; commit it).
/// </summary>
public static class TrainIntentsCommand
{
    public static int Run(string[] args)
    {
        var options = EvalCommand.ParseArgs(args);
        var folds = int.Parse(options.GetValueOrDefault("folds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var output = options.GetValueOrDefault("out")
            ?? (EvalCommand.FindUp(Path.Combine("AssistantApi", "Engines", "Local", "Training")) is { } folder
                ? Path.Combine(folder, IntentClassifier.ModelFileName)
                : throw new DirectoryNotFoundException("Run it from the repository (or pass --out PATH)."));
        var examples = IntentClassifier.LoadTrainingSet();
        var watch = Stopwatch.StartNew();
        var quality = IntentClassifier.CrossValidate(examples, folds);
        Console.WriteLine($"{quality.Examples} utterances, {examples.Select(e => e.Intent).Distinct().Count()} intents, {quality.Folds}-fold cross-validation: " +
            $"micro-accuracy {quality.MicroAccuracy:P1} (± {quality.MicroAccuracyStdDev:P1}), macro-accuracy {quality.MacroAccuracy:P1} ({watch.ElapsedMilliseconds} ms)");
        watch.Restart();
        IntentClassifier.TrainAndSave(examples, output);
        Console.WriteLine($"Trained on all of them and wrote {output} ({new FileInfo(output).Length / 1024} KiB, {watch.ElapsedMilliseconds} ms).");
        return 0;
    }
}
