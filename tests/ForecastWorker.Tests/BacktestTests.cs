using System.Globalization;
using System.Text;
using System.Text.Json;
using ForecastWorker.Backtest;
using ForecastWorker.Forecasting;
using ForecastWorker.Forecasting.Models;

namespace ForecastWorker.Tests;

public class BacktestTests
{
    /// <summary>Always forecasts the same value (to check the scoring by hand).</summary>
    private sealed class FixedModel(double value) : IForecastModel, IFittedModel
    {
        public string Name => "Fixed";
        public int MinHistory => 1;
        public DemandKinds Kinds => DemandKinds.Any;
        public IFittedModel? Fit(SeriesWindow history) => this;
        public PointForecast Forecast(SeriesWindow history, int horizon) =>
            new(Enumerable.Repeat(value, horizon).ToArray(), Enumerable.Repeat(1.0, horizon).ToArray());
    }

    [Fact]
    public void Origins_end_on_the_last_day_and_step_back()
    {
        var settings = new BacktestSettings(Horizon: 28, Origins: 4, Step: 28);
        var end = new DateOnly(2018, 1, 1); // the day after 2017-12-31

        Assert.Equal(new DateOnly(2017, 12, 4), settings.TestStart(end, 1));
        Assert.Equal(new DateOnly(2017, 11, 6), settings.TestStart(end, 2));
        Assert.Equal(new DateOnly(2017, 9, 11), settings.TestStart(end, 4));
    }

    [Fact]
    public void Scores_match_hand_computed_values()
    {
        // 4, 6, 4, 6, ... for 70 days; the test window (one origin, 7 days) is 6, 4, 6, 4, 6, 4, 6.
        var values = Enumerable.Range(0, 70).Select(t => t % 2 == 0 ? 4.0 : 6.0).ToArray();
        var series = new[] { new NamedSeries("a", new SeriesWindow(values, new DateOnly(2017, 1, 1))) };
        var engine = new ForecastEngine([new SeasonalNaiveModel(), new FixedModel(5)]);

        var report = new Backtester(engine).Run(series, new BacktestSettings(7, 1, 7));

        var fixedScore = report.Methods.Single(m => m.Name == "Fixed");
        // Errors are all 1; the one-step naive RMS error is 2 and the weekly naive MAE is 2.
        Assert.Equal(0.5, fixedScore.Rmsse, 12);
        Assert.Equal(0.5, fixedScore.Mase, 12);
        Assert.Equal(7.0 / 36, fixedScore.Wape, 12);
        Assert.Equal(-1.0 / 36, fixedScore.Bias, 12);
        Assert.Equal(1.0, fixedScore.BeatsSeasonalNaive);

        var naive = report.Methods.Single(m => m.Name == SeasonalNaiveModel.ModelName);
        Assert.Equal(1.0, naive.Rmsse, 12); // repeats last week's 4, 6, 4, ... against 6, 4, 6, ...
        Assert.Equal(0.0, naive.BeatsSeasonalNaive);
        Assert.Equal(new DateOnly(2017, 3, 5), report.FirstTestDay);
        Assert.Equal(new DateOnly(2017, 3, 11), report.LastTestDay);
    }

    [Fact]
    public void Backtest_never_sees_the_test_window()
    {
        // A poisoned test window: forecasts made without it are far below, so the bias is close to -100%.
        var start = new DateOnly(2016, 1, 1);
        var values = Synthetic.Seasonal(600, start, 30, seed: 5);
        for (var t = 600 - 28; t < 600; t++) values[t] = 1e7;
        var report = new Backtester(new ForecastEngine()).Run([new NamedSeries("a", new SeriesWindow(values, start))], new BacktestSettings(28, 1, 28));

        Assert.True(report.Auto.Bias < -0.999, $"bias {report.Auto.Bias}");
        Assert.All(report.Methods, m => Assert.True(m.Bias < -0.999, $"{m.Name} bias {m.Bias}"));
    }

    [Fact]
    public void Intermittent_data_is_handled_by_the_croston_family_without_crashing_on_empty_series()
    {
        var start = new DateOnly(2016, 1, 1);
        var series = new List<NamedSeries>();
        for (var i = 0; i < 24; i++)
        {
            var probability = new[] { 0.05, 0.1, 0.2, 0.4 }[i % 4];
            series.Add(new NamedSeries($"sku{i}", new SeriesWindow(Synthetic.Intermittent(500, probability, 1 + i % 3, seed: 100 + i), start)));
        }
        series.Add(new NamedSeries("never sold", new SeriesWindow(new double[500], start)));
        series.Add(new NamedSeries("new", new SeriesWindow([1, 0, 2, 0, 0, 1], start.AddDays(494))));

        var report = new Backtester(new ForecastEngine()).Run(series, new BacktestSettings(28, 4, 28));

        string[] family = ["Croston", "SBA", "TSB"];
        var familyWins = report.Choices.Where(c => family.Contains(c.Key)).Sum(c => c.Value);
        Assert.True(familyWins >= 0.8 * 24 * 4, $"Croston family chosen {familyWins} times");
        var ses = report.Methods.Single(m => m.Name == "SES");
        var naive = report.Methods.Single(m => m.Name == SeasonalNaiveModel.ModelName);
        Assert.True(report.Auto.Rmsse <= 1.03 * ses.Rmsse, $"auto {report.Auto.Rmsse} vs SES {ses.Rmsse}");
        Assert.True(report.Auto.Rmsse < naive.Rmsse);
        Assert.Contains(report.Flags, f => f.Key == ForecastFlags.NoSales);
        Assert.Contains(report.Flags, f => f.Key == ForecastFlags.NoHistory);
        Assert.True(double.IsFinite(report.Auto.Wape) && double.IsFinite(report.Auto.Bias));
    }

    private static string WriteCsv(Action<StringBuilder> rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"forecast-test-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder();
        rows(text);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static (int Code, string Output, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = BacktestCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Command_prints_the_table_and_writes_json()
    {
        var start = new DateOnly(2016, 1, 1);
        var path = WriteCsv(text =>
        {
            text.AppendLine("date,store,item,sales");
            for (var s = 0; s < 4; s++)
            {
                var values = Synthetic.Seasonal(600, start, 20 + 10 * s, seed: s);
                for (var t = 0; t < values.Length; t++)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"{start.AddDays(t):yyyy-MM-dd},1,{s},{values[t]}");
                }
            }
        });
        var json = Path.ChangeExtension(path, ".json");
        try
        {
            var (code, output, error) = Cli("--input", path, "--date", "date", "--keys", "store,item", "--value", "sales",
                "--horizon", "28", "--origins", "2", "--step", "14", "--json", json);

            Assert.Equal(0, code);
            Assert.Equal("", error);
            Assert.Contains("4 series", output);
            Assert.Contains("horizon 28, 2 origin(s) every 14 days", output);
            Assert.Matches(@"(?m)^auto\s+\d\.\d{3}", output);
            Assert.Contains("wall time", output);

            using var document = JsonDocument.Parse(File.ReadAllText(json));
            var root = document.RootElement;
            Assert.Equal(4, root.GetProperty("series").GetInt32());
            Assert.True(root.GetProperty("wallSeconds").GetDouble() > 0);
            foreach (var field in new[] { "rmsse", "mase", "wape", "bias", "beatsSeasonalNaive" })
            {
                Assert.Equal(JsonValueKind.Number, root.GetProperty("auto").GetProperty(field).ValueKind);
            }
            var methods = root.GetProperty("methods").EnumerateArray().ToArray();
            Assert.Equal(ForecastEngine.DefaultPool().Select(m => m.Name).Concat(ForecastEngine.GlobalNames), methods.Select(m => m.GetProperty("name").GetString()));
            Assert.Contains("global model: LightGBM", output);
            Assert.All(methods, m => Assert.Equal(JsonValueKind.Number, m.GetProperty("rmsse").ValueKind));
        }
        finally
        {
            File.Delete(path);
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData("date,store,item,qty\n2017-01-01,1,1,3\n", "'sales' is not in the header")]
    [InlineData("date,store,item,sales\n2017-01-01,1,1,3\n2017-13-01,1,1,3\n", "Line 3: '2017-13-01'")]
    [InlineData("date,store,item,sales\n2017-01-01,1,1,3\n2017-01-02,1,1,-1\n", "Line 3: negative value -1")]
    [InlineData("date,store,item,sales\n2017-01-01,1,1,3\n\"2017-01-02,1,1,3\n", "Line 3: the CSV is malformed")]
    [InlineData("date,store,item,sales\n2017-01-01,1,1,3\n2017-01-02,1,1,3\n", "need at least 113")]
    public void Command_refuses_bad_input_with_exit_code_2(string csv, string expected)
    {
        var path = WriteCsv(text => text.Append(csv));
        try
        {
            var (code, output, error) = Cli("--input", path, "--date", "date", "--keys", "store,item", "--value", "sales");
            Assert.Equal(2, code);
            Assert.Contains(expected, error);
            Assert.Equal("", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Models_option_picks_the_models_run_and_reported()
    {
        var start = new DateOnly(2016, 1, 1);
        var path = WriteCsv(text =>
        {
            text.AppendLine("date,item,sales");
            var values = Synthetic.Seasonal(300, start, 20, seed: 4);
            for (var t = 0; t < values.Length; t++) text.AppendLine(CultureInfo.InvariantCulture, $"{start.AddDays(t):yyyy-MM-dd},1,{values[t]}");
        });
        try
        {
            var (code, output, error) = Cli("--input", path, "--date", "date", "--keys", "item", "--value", "sales",
                "--horizon", "14", "--origins", "1", "--models", "seasonalnaive,Theta");

            Assert.Equal(0, code);
            Assert.Equal("", error);
            Assert.Matches(@"(?m)^SeasonalNaive\s", output);
            Assert.Matches(@"(?m)^Theta\s", output);
            Assert.DoesNotMatch(@"(?m)^(SES|Global|Blend)\s", output);
            Assert.DoesNotContain("global model", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--input", "x.csv", "--date", "d", "--value", "v", "--models", "Prophet")]
    [InlineData("--input", "x.csv", "--date", "d", "--value", "v", "--models", "Global")]
    [InlineData("--input", "x.csv", "--date", "d", "--value", "v", "--threads", "0")]
    [InlineData("--date", "d", "--value", "v")]
    [InlineData("--input", "x.csv", "--date", "d", "--value", "v", "--horizon", "0")]
    [InlineData("--input", "x.csv", "--date", "d", "--value", "v", "--bogus", "1")]
    [InlineData("--input", "x.csv", "--date", "d", "--value")]
    [InlineData("--input", "/no/such/file.csv", "--date", "d", "--value", "v")]
    public void Command_refuses_bad_arguments_with_exit_code_2(params string[] args)
    {
        var (code, _, error) = Cli(args);
        Assert.Equal(2, code);
        Assert.StartsWith("backtest: ", error);
    }
}
