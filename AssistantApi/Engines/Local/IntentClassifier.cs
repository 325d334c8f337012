using System.Reflection;
using MathNet.Numerics.LinearAlgebra;

namespace AssistantApi.Engines.Local;

/// <summary>A labelled utterance: the intent and the text, with entities replaced by slot words.</summary>
public sealed record LabelledUtterance(string Intent, string Text);

/// <summary>The classifier's verdict: the best intent, its probability, and how much of the message it recognised.</summary>
public sealed record IntentPrediction(string Intent, double Probability, double KnownFeatureShare, IReadOnlyList<(string Intent, double Probability)> Ranking);

/// <summary>
/// Multinomial naive Bayes over word unigrams, word bigrams and character 3- and 4-grams (which forgive typos),
/// trained at start-up on our own labelled utterances (<c>Training/intents.txt</c>). Log-likelihoods are one
/// MathNet matrix (intents x features); a prediction is a sparse sum of its columns plus the log priors.
/// </summary>
public sealed class IntentClassifier
{
    private const double Smoothing = 0.2;

    private readonly string[] _intents;
    private readonly Dictionary<string, int> _features;
    private readonly Matrix<double> _logLikelihood;
    private readonly Vector<double> _logPrior;

    private IntentClassifier(string[] intents, Dictionary<string, int> features, Matrix<double> logLikelihood, Vector<double> logPrior)
    {
        _intents = intents;
        _features = features;
        _logLikelihood = logLikelihood;
        _logPrior = logPrior;
    }

    public IReadOnlyList<string> Intents => _intents;

    public static IntentClassifier Train(IReadOnlyList<LabelledUtterance> examples)
    {
        var intents = examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var intentIndex = intents.Select((intent, i) => (intent, i)).ToDictionary(p => p.intent, p => p.i, StringComparer.Ordinal);
        var features = new Dictionary<string, int>(StringComparer.Ordinal);
        var featurized = examples.Select(e => (Intent: intentIndex[e.Intent], Features: Features(e.Text))).ToList();
        foreach (var feature in featurized.SelectMany(f => f.Features))
        {
            features.TryAdd(feature, features.Count);
        }

        var counts = Matrix<double>.Build.Dense(intents.Length, features.Count);
        var documents = Vector<double>.Build.Dense(intents.Length);
        foreach (var (intent, list) in featurized)
        {
            documents[intent] += 1;
            foreach (var feature in list)
            {
                counts[intent, features[feature]] += 1;
            }
        }
        // log P(feature | intent) with additive smoothing; log P(intent) from how many examples each has.
        var totals = counts.RowSums() + Smoothing * features.Count;
        var logLikelihood = counts.Add(Smoothing).PointwiseLog();
        for (var i = 0; i < intents.Length; i++)
        {
            logLikelihood.SetRow(i, logLikelihood.Row(i) - Math.Log(totals[i]));
        }
        var logPrior = (documents / documents.Sum()).PointwiseLog();
        return new IntentClassifier(intents, features, logLikelihood, logPrior);
    }

    public IntentPrediction Predict(string text)
    {
        var all = Features(text);
        var known = all.Where(_features.ContainsKey).Select(f => _features[f]).ToList();
        var scores = _logPrior.Clone();
        foreach (var column in known)
        {
            scores += _logLikelihood.Column(column);
        }
        // Softmax of the log scores, shifted for numerical safety.
        var max = scores.Maximum();
        var probabilities = scores.Subtract(max).PointwiseExp();
        probabilities /= probabilities.Sum();
        var ranking = probabilities.Select((p, i) => (_intents[i], p)).OrderByDescending(r => r.p).ToList();
        var wordFeatures = all.Count(f => f.StartsWith("w:", StringComparison.Ordinal));
        var knownWords = all.Count(f => f.StartsWith("w:", StringComparison.Ordinal) && _features.ContainsKey(f));
        return new IntentPrediction(ranking[0].Item1, ranking[0].p, wordFeatures == 0 ? 0 : knownWords / (double)wordFeatures, ranking);
    }

    /// <summary>Words ("w:"), word pairs ("b:") and character 3/4-grams inside words ("c:"), for a delexicalised text.</summary>
    public static List<string> Features(string text)
    {
        var words = Text.Tokenize(text).Select(t => t.Stem).ToList();
        var features = new List<string>(words.Count * 8);
        for (var i = 0; i < words.Count; i++)
        {
            features.Add("w:" + words[i]);
            features.Add("b:" + (i == 0 ? "^" : words[i - 1]) + "_" + words[i]);
            if (words[i].StartsWith("slot", StringComparison.Ordinal))
            {
                continue;
            }
            var padded = "<" + words[i] + ">";
            for (var n = 3; n <= 4; n++)
            {
                for (var start = 0; start + n <= padded.Length; start++)
                {
                    features.Add("c:" + padded.Substring(start, n));
                }
            }
        }
        if (words.Count > 0)
        {
            features.Add("b:" + words[^1] + "_$");
        }
        return features;
    }

    /// <summary>The embedded training set; "{product}"-style slots become the slot words the extractor writes.</summary>
    public static IReadOnlyList<LabelledUtterance> LoadTrainingSet()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AssistantApi.Training.intents.txt")
            ?? throw new InvalidOperationException("The training set AssistantApi.Training.intents.txt is not embedded.");
        using var reader = new StreamReader(stream);
        var examples = new List<LabelledUtterance>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var tab = line.IndexOf('\t');
            if (tab <= 0)
            {
                throw new InvalidDataException($"Training line without a tab: {line}");
            }
            examples.Add(new LabelledUtterance(line[..tab], Slots.FromBraces(line[(tab + 1)..])));
        }
        return examples;
    }
}

/// <summary>The slot words entities are replaced with before classifying ("{product}" in the training file).</summary>
public static class Slots
{
    public const string Product = "slotproduct";
    public const string Category = "slotcategory";
    public const string Brand = "slotbrand";
    public const string Color = "slotcolor";
    public const string Size = "slotsize";
    public const string Number = "slotnum";

    public static string FromBraces(string text) => text
        .Replace("{product}", Product, StringComparison.Ordinal)
        .Replace("{category}", Category, StringComparison.Ordinal)
        .Replace("{brand}", Brand, StringComparison.Ordinal)
        .Replace("{color}", Color, StringComparison.Ordinal)
        .Replace("{size}", Size, StringComparison.Ordinal)
        .Replace("{num}", Number, StringComparison.Ordinal);
}
