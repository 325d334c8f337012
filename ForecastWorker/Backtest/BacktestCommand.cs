using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ForecastWorker.Forecasting;
using ForecastWorker.Forecasting.Global;

namespace ForecastWorker.Backtest;

/// <summary>
/// <c>backtest --input FILE --date COL --keys COL[,COL] --value COL [--horizon 28] [--origins 4] [--step H] [--json OUT]</c>:
/// a rolling-origin backtest of the forecasting engine on a CSV of daily sales. Exit code 0 on success,
/// 2 for bad arguments or bad input (with a message saying what and where), 1 for anything unexpected.
/// </summary>
public static class BacktestCommand
{
    public const string Usage = """
        Usage: ForecastWorker backtest --input FILE --date COL --value COL [--keys COL[,COL...]]
                                       [--horizon 28] [--origins 4] [--step HORIZON] [--json OUT]
                                       [--combine 3] [--combine-within 1.05] [--inner-origins 4]
                                       [--models all|NAME,NAME...] [--threads 1]

          --input FILE       CSV of daily sales with a header row; gzip is recognised (e.g. train.csv.gz)
          --date COL         date column, yyyy-MM-dd (a time of day after it is ignored)
          --keys COL,...     columns that identify a series (none: the whole file is one series)
          --value COL        daily quantity (>= 0)
          --horizon H        days forecast at each origin (default 28)
          --origins K        rolling origins (default 4); origin 1's test window ends on the last day,
                             origin k's ends (k-1)*STEP days earlier; each forecast sees only earlier days
          --step S           days between origins (default: the horizon)
          --json OUT         also write the figures as JSON to OUT
          --combine N        average up to the N best models of each series' inner backtest (default 3; 1 = best only)
          --combine-within F ... those whose inner backtest MSE is within F times the best one's (default 1.05)
          --inner-origins N  origins of the inner backtest that ranks the models (default 4)
          --models LIST      the models to run (default all): pool models by name (SeasonalNaive, SES,
                             HoltWintersAdditive, HoltWintersMultiplicative, Theta, DowMonthProfile,
                             DowFourierProfile, Croston, SBA, TSB) and Global (the LightGBM model over all
                             series, with its Blend with each series' best pool model); at least one pool model
          --threads N        threads of the global model's training (default 1)

        Repairs (reported): rows repeating a key and day are summed; days without a row are zero sales.
        Refused (exit code 2): missing columns, bad dates, empty, non-numeric or negative values.
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var wall = Stopwatch.StartNew();
        BacktestArguments arguments;
        try
        {
            if (args.Length == 0 || args.Contains("--help") || args.Contains("-h"))
            {
                output.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            arguments = BacktestArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"backtest: {e.Message}");
            error.WriteLine("Run 'backtest --help' for the options.");
            return 2;
        }

        try
        {
            var readWatch = Stopwatch.StartNew();
            var data = SalesCsvReader.Read(arguments.Input, new SalesCsvColumns(arguments.Date, arguments.Keys, arguments.Value));
            var readTime = readWatch.Elapsed;

            var settings = new BacktestSettings(arguments.Horizon, arguments.Origins, arguments.Step);
            var firstTest = settings.TestStart(data.LastDay.AddDays(1), settings.Origins);
            if (firstTest <= data.FirstDay)
            {
                var needed = settings.Horizon + (settings.Origins - 1) * settings.Step + 1;
                error.WriteLine($"backtest: {arguments.Input}: the data covers {data.LastDay.DayNumber - data.FirstDay.DayNumber + 1} day(s) ({data.FirstDay:yyyy-MM-dd} .. {data.LastDay:yyyy-MM-dd}); {settings.Origins} origin(s) of {settings.Horizon} days every {settings.Step} days need at least {needed} (and more to learn from).");
                return 2;
            }
            var options = ForecastOptions.Default with
            {
                CombineTop = arguments.Combine, CombineWithin = arguments.CombineWithin, InnerOrigins = arguments.InnerOrigins,
            };
            var pool = ForecastEngine.DefaultPool().Where(m => arguments.Models is null || arguments.Models.Contains(m.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
            var global = arguments.Models is null || arguments.Models.Contains(GlobalModel.ModelName, StringComparer.OrdinalIgnoreCase)
                ? new GlobalModel(GlobalModelOptions.Default with { Threads = arguments.Threads })
                : null;
            var report = new Backtester(new ForecastEngine(pool, options), global).Run(data.Series, settings);
            wall.Stop();

            Print(output, arguments, data, report, readTime, wall.Elapsed);
            if (arguments.Json is not null) WriteJson(arguments.Json, report, wall.Elapsed);
            return 0;
        }
        catch (SalesCsvException e)
        {
            error.WriteLine($"backtest: {arguments.Input}: {e.Message}");
            return 2;
        }
        catch (IOException e)
        {
            error.WriteLine($"backtest: {e.Message}");
            return 2;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"backtest: {e.Message}");
            return 2;
        }
        catch (Exception e)
        {
            error.WriteLine($"backtest: unexpected failure: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private static void Print(TextWriter output, BacktestArguments arguments, SalesData data, BacktestReport report, TimeSpan readTime, TimeSpan wall)
    {
        var s = report.Settings;
        output.WriteLine($"Data: {data.Rows:N0} rows, {report.Series} series, {data.FirstDay:yyyy-MM-dd} .. {data.LastDay:yyyy-MM-dd} ({Path.GetFileName(arguments.Input)})");
        foreach (var repair in data.Repairs) output.WriteLine($"  repaired: {repair}");
        output.WriteLine($"Backtest: horizon {s.Horizon}, {s.Origins} origin(s) every {s.Step} days, test days {report.FirstTestDay:yyyy-MM-dd} .. {report.LastTestDay:yyyy-MM-dd}, expanding window");
        output.WriteLine();
        output.WriteLine($"{"method",-26} {"RMSSE",7} {"MASE",7} {"WAPE",7} {"bias",7} {"beats SN",9} {"n/a",5}");
        Row(report.Auto);
        foreach (var method in report.Methods) Row(method);
        output.WriteLine();
        output.WriteLine($"auto intervals: 80% holds {Percent(report.Auto.Coverage80 ?? double.NaN)} of the actuals, 95% holds {Percent(report.Auto.Coverage95 ?? double.NaN)}");
        output.WriteLine($"auto choices (top-ranked model, over series x origins): {string.Join(", ", report.Choices.Select(c => $"{c.Key} {c.Value}"))}");
        if (report.Flags.Count > 0) output.WriteLine($"flags: {string.Join(", ", report.Flags.Select(f => $"{f.Key} {f.Value}"))}");
        output.WriteLine($"RMSSE and MASE are means over series x origins; WAPE and bias over all forecast days; bias > 0 is over-forecasting; n/a: forecasts where the method did not apply (auto stood in).");
        if (report.GlobalRuns.Count > 0)
        {
            var runs = report.GlobalRuns;
            output.WriteLine($"global model: {runs[0].Trainer}, {runs.Count} origin(s), {runs.Sum(r => r.Trainings)} training(s), {runs.Average(r => r.TrainingRows):N0} training rows per origin, {runs.Sum(r => r.Elapsed.TotalSeconds):F1} s in all (features, training, prediction)");
            foreach (var note in runs.Select(r => r.Note).OfType<string>().Distinct()) output.WriteLine($"  {note}");
        }
        output.WriteLine($"wall time {wall.TotalSeconds:F1} s (reading {readTime.TotalSeconds:F1} s, forecasting {report.Elapsed.TotalSeconds:F1} s) on {Environment.ProcessorCount} core(s)");

        void Row(MethodScore m) => output.WriteLine(
            $"{m.Name,-26} {Number(m.Rmsse),7} {Number(m.Mase),7} {Percent(m.Wape),7} {Percent(m.Bias),7} {Percent(m.BeatsSeasonalNaive),9} {m.Fallbacks,5}");
    }

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("F3", CultureInfo.InvariantCulture) : "-";

    private static string Percent(double value) => double.IsFinite(value) ? (value * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";

    private static void WriteJson(string path, BacktestReport report, TimeSpan wall)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("series", report.Series);
        json.WriteNumber("wallSeconds", Math.Round(wall.TotalSeconds, 3));
        json.WriteNumber("horizon", report.Settings.Horizon);
        json.WriteNumber("origins", report.Settings.Origins);
        json.WriteNumber("step", report.Settings.Step);
        json.WritePropertyName("auto");
        WriteScore(json, report.Auto, withName: false);
        json.WriteStartArray("methods");
        foreach (var method in report.Methods) WriteScore(json, method, withName: true);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteScore(Utf8JsonWriter json, MethodScore score, bool withName)
    {
        json.WriteStartObject();
        if (withName) json.WriteString("name", score.Name);
        Number("rmsse", score.Rmsse);
        Number("mase", score.Mase);
        Number("wape", score.Wape);
        Number("bias", score.Bias);
        Number("beatsSeasonalNaive", score.BeatsSeasonalNaive);
        if (score.Coverage80 is { } c80) Number("coverage80", c80);
        if (score.Coverage95 is { } c95) Number("coverage95", c95);
        if (withName) json.WriteNumber("notApplicable", score.Fallbacks);
        json.WriteEndObject();

        void Number(string name, double value)
        {
            if (double.IsFinite(value)) json.WriteNumber(name, Math.Round(value, 6));
            else json.WriteNull(name);
        }
    }
}

/// <summary>The parsed command line of <see cref="BacktestCommand"/>.</summary>
public sealed record BacktestArguments(
    string Input, string Date, IReadOnlyList<string> Keys, string Value, int Horizon, int Origins, int Step,
    string? Json, int Combine, double CombineWithin, int InnerOrigins, IReadOnlyList<string>? Models = null, int Threads = 1)
{
    public static BacktestArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--input", "--date", "--keys", "--value", "--horizon", "--origins", "--step", "--json", "--combine", "--combine-within", "--inner-origins", "--models", "--threads"];
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string? value = null;
            var equals = name.IndexOf('=');
            if (name.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            if (!known.Contains(name)) throw new ArgumentException($"unknown option '{args[i]}'.");
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"option {name} needs a value.");
                value = args[++i];
            }
            if (!values.TryAdd(name, value)) throw new ArgumentException($"option {name} is given twice.");
        }

        string Required(string name) =>
            values.TryGetValue(name, out var v) && v.Trim().Length > 0 ? v.Trim() : throw new ArgumentException($"option {name} is required.");

        int Positive(string name, int fallback, int max)
        {
            if (!values.TryGetValue(name, out var text)) return fallback;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > max)
            {
                throw new ArgumentException($"option {name} must be a whole number from 1 to {max}, not '{text}'.");
            }
            return n;
        }

        double Factor(string name, double fallback)
        {
            if (!values.TryGetValue(name, out var text)) return fallback;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || !(f >= 1) || f > 100)
            {
                throw new ArgumentException($"option {name} must be a number from 1 to 100, not '{text}'.");
            }
            return f;
        }

        var keys = values.TryGetValue("--keys", out var keyList)
            ? keyList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        var horizon = Positive("--horizon", 28, 3660);
        IReadOnlyList<string>? models = null;
        if (values.TryGetValue("--models", out var modelList) && !modelList.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            var modelNames = ForecastEngine.DefaultPool().Select(m => m.Name).Append(GlobalModel.ModelName).ToArray();
            models = modelList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(name => modelNames.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArgumentException($"option --models: unknown model '{name}'; the models are {string.Join(", ", modelNames)} (or all)."))
                .ToArray();
            if (!models.Any(m => m != GlobalModel.ModelName)) throw new ArgumentException("option --models needs at least one pool model beside Global.");
        }
        return new BacktestArguments(
            Required("--input"), Required("--date"), keys, Required("--value"), horizon,
            Positive("--origins", 4, 1000), Positive("--step", horizon, 3660),
            values.TryGetValue("--json", out var json) ? json : null,
            Positive("--combine", ForecastOptions.Default.CombineTop, 20),
            Factor("--combine-within", ForecastOptions.Default.CombineWithin),
            Positive("--inner-origins", ForecastOptions.Default.InnerOrigins, 50),
            models, Positive("--threads", 1, 64));
    }
}
