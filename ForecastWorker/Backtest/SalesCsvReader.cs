using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using System.Text;
using ForecastWorker.Forecasting;

namespace ForecastWorker.Backtest;

/// <summary>Bad input that the reader will not guess its way around; the message names the line and the fix.</summary>
public sealed class SalesCsvException(string message) : Exception(message);

/// <summary>Which columns hold the date, the series key (zero or more columns) and the daily value.</summary>
public sealed record SalesCsvColumns(string Date, IReadOnlyList<string> Keys, string Value);

/// <summary>Daily series read from a CSV, and what the reader repaired on the way (for the report).</summary>
public sealed record SalesData(
    IReadOnlyList<NamedSeries> Series, DateOnly FirstDay, DateOnly LastDay, long Rows, IReadOnlyList<string> Repairs);

/// <summary>
/// Reads daily sales from a CSV file (plain or gzip, detected from the content) into one daily series per key.
/// <para>Refused, with the line: a missing column, a row with too few fields, a date that is not
/// <c>yyyy-MM-dd</c> (a time of day after it is ignored), an empty, non-numeric, infinite or negative value.</para>
/// <para>Repaired and reported: several rows for the same key and day are summed (e.g. order lines); a day
/// without a row inside a series, or after a series' last row up to the data's last day, is a day without
/// sales (zero) — the usual sparse encoding of sales data. Each series starts at its first row.</para>
/// </summary>
public static class SalesCsvReader
{
    private const int MaxSpanDays = 100 * 366;
    private const char KeySeparator = '\u001f';

    public static SalesData Read(string path, SalesCsvColumns columns)
    {
        if (!File.Exists(path)) throw new SalesCsvException($"Input file '{path}' does not exist.");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, columns);
    }

    /// <summary>Reads from a stream; gzip is recognised by its magic bytes (the stream must be seekable for that).</summary>
    public static SalesData Read(Stream stream, SalesCsvColumns columns)
    {
        Stream input = stream;
        if (stream.CanSeek)
        {
            var start = stream.Position;
            var first = stream.ReadByte();
            var second = stream.ReadByte();
            stream.Position = start;
            if (first == 0x1f && second == 0x8b) input = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        }
        try
        {
            using var reader = CsvReader.Create(input, Options, leaveOpen: true);
            return Parse(reader, columns);
        }
        catch (InvalidDataException e)
        {
            throw new SalesCsvException($"The input is not valid gzip: {e.Message}");
        }
        catch (CsvFormatException e)
        {
            var where = e.LineNumber > 0 ? $"Line {e.LineNumber}: " : "";
            throw new SalesCsvException($"{where}the CSV is malformed ({FirstLine(e.Message)}).");
        }
        catch (DecoderFallbackException)
        {
            throw new SalesCsvException("The input is not text (UTF-8 expected).");
        }
        finally
        {
            if (!ReferenceEquals(input, stream)) input.Dispose();
        }
    }

    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        HasHeader = true,
        SkipEmptyLines = true,
        TrimWhitespace = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private static SalesData Parse(CsvReader reader, SalesCsvColumns columns)
    {
        var header = reader.Headers.ToArray();
        if (header.Length == 0 || header.All(h => h.Length == 0))
        {
            throw new SalesCsvException("The input is empty: expected a header row naming the columns.");
        }
        var dateIndex = ColumnIndex(header, columns.Date, "date");
        var valueIndex = ColumnIndex(header, columns.Value, "value");
        var keyIndexes = columns.Keys.Select(k => ColumnIndex(header, k, "key")).ToArray();
        var needed = Math.Max(Math.Max(dateIndex, valueIndex), keyIndexes.DefaultIfEmpty(-1).Max()) + 1;

        var builders = new Dictionary<string, SeriesBuilder>(StringComparer.Ordinal);
        var order = new List<SeriesBuilder>();
        var rows = 0L;
        var timesIgnored = 0L;
        SeriesBuilder? last = null;
        var lastKeyBytes = new byte[256];
        var lastKeyLength = -1;
        var keyBytes = new byte[256];
        var keyParts = new string[keyIndexes.Length];

        while (reader.Read())
        {
            var line = reader.LineNumber;
            if (reader.FieldCount < needed)
            {
                throw new SalesCsvException($"Line {line}: {reader.FieldCount} field(s), but the header has {header.Length}; every row needs the date, key and value columns.");
            }
            rows++;

            // The key's raw bytes: rows of one series usually follow each other, so most rows reuse the last series.
            var keyLength = 0;
            for (var i = 0; i < keyIndexes.Length; i++)
            {
                var part = reader.GetSpan(keyIndexes[i]);
                if (keyLength + part.Length + 1 > keyBytes.Length) Array.Resize(ref keyBytes, 2 * (keyLength + part.Length + 1));
                part.CopyTo(keyBytes.AsSpan(keyLength));
                keyLength += part.Length;
                keyBytes[keyLength++] = (byte)KeySeparator;
            }
            if (last is null || keyLength != lastKeyLength || !keyBytes.AsSpan(0, keyLength).SequenceEqual(lastKeyBytes.AsSpan(0, keyLength)))
            {
                for (var i = 0; i < keyIndexes.Length; i++) keyParts[i] = reader.GetString(keyIndexes[i]);
                var key = string.Join(KeySeparator, keyParts);
                if (!builders.TryGetValue(key, out last))
                {
                    last = new SeriesBuilder(key);
                    builders.Add(key, last);
                    order.Add(last);
                }
                if (lastKeyBytes.Length < keyLength) lastKeyBytes = new byte[keyBytes.Length];
                keyBytes.AsSpan(0, keyLength).CopyTo(lastKeyBytes);
                lastKeyLength = keyLength;
            }

            var dateBytes = reader.GetSpan(dateIndex);
            if (!TryParseIsoDate(dateBytes, out var date))
            {
                var dateText = reader.GetString(dateIndex);
                if (!TryParseDate(dateText, out date, out var hadTime))
                {
                    throw new SalesCsvException($"Line {line}: '{dateText}' in column '{columns.Date}' is not a date (expected yyyy-MM-dd, e.g. 2017-12-31).");
                }
                if (hadTime) timesIgnored++;
            }

            var valueBytes = reader.GetSpan(valueIndex);
            if (valueBytes.IsEmpty)
            {
                throw new SalesCsvException($"Line {line}: column '{columns.Value}' is empty; write 0 for a day without sales, or leave the row out.");
            }
            if (!double.TryParse(valueBytes, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new SalesCsvException($"Line {line}: '{reader.GetString(valueIndex)}' in column '{columns.Value}' is not a number.");
            }
            if (value < 0)
            {
                throw new SalesCsvException($"Line {line}: negative value {reader.GetString(valueIndex)} in column '{columns.Value}' ({Describe(columns.Keys, last.Key)} on {date:yyyy-MM-dd}); demand cannot be negative: net returns out or remove the row.");
            }
            last.Add(date.DayNumber, value, line);
        }
        if (rows == 0) throw new SalesCsvException("The input has a header but no data rows.");

        var firstDay = order.Min(b => b.MinDay);
        var lastDay = order.Max(b => b.MaxDay);
        if (lastDay - firstDay > MaxSpanDays)
        {
            throw new SalesCsvException($"Dates run from {DateOnly.FromDayNumber(firstDay):yyyy-MM-dd} to {DateOnly.FromDayNumber(lastDay):yyyy-MM-dd}; more than 100 years of daily data suggests a wrong date.");
        }

        var repairs = new List<string>();
        long duplicates = 0, gapDays = 0, tailDays = 0;
        int seriesWithGaps = 0, seriesEndingEarly = 0;
        string? duplicateExample = null, gapExample = null, tailExample = null;
        var series = new List<NamedSeries>(order.Count);
        foreach (var builder in order)
        {
            var values = builder.Build(lastDay, out var merged, out var example, out var gaps, out var firstGap);
            duplicates += merged;
            if (merged > 0) duplicateExample ??= $"{Describe(columns.Keys, builder.Key)} on {example}";
            if (gaps > 0)
            {
                gapDays += gaps;
                seriesWithGaps++;
                gapExample ??= $"{Describe(columns.Keys, builder.Key)} has no row for {firstGap}";
            }
            if (builder.MaxDay < lastDay)
            {
                seriesEndingEarly++;
                tailDays += lastDay - builder.MaxDay;
                tailExample ??= $"{Describe(columns.Keys, builder.Key)} ends on {DateOnly.FromDayNumber(builder.MaxDay):yyyy-MM-dd}";
            }
            series.Add(new NamedSeries(
                Describe(columns.Keys, builder.Key), new SeriesWindow(values, DateOnly.FromDayNumber(builder.MinDay)),
                columns.Keys.Count == 0 ? [] : builder.Key.Split(KeySeparator)));
        }
        if (duplicates > 0) repairs.Add($"{duplicates} row(s) repeated a key and day already seen and were added to it (e.g. {duplicateExample}).");
        if (gapDays > 0) repairs.Add($"{gapDays} day(s) without a row inside {seriesWithGaps} series were taken as zero sales (e.g. {gapExample}).");
        if (tailDays > 0) repairs.Add($"{seriesEndingEarly} series end before the last day {DateOnly.FromDayNumber(lastDay):yyyy-MM-dd}; their {tailDays} later day(s) were taken as zero sales (e.g. {tailExample}).");
        if (timesIgnored > 0) repairs.Add($"{timesIgnored} date(s) had a time of day, which was ignored (rows of one day are added up).");

        return new SalesData(series, DateOnly.FromDayNumber(firstDay), DateOnly.FromDayNumber(lastDay), rows, repairs);
    }

    private static int ColumnIndex(string[] header, string name, string role)
    {
        var index = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.Ordinal));
        if (index < 0) index = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new SalesCsvException($"The {role} column '{name}' is not in the header; the columns are: {string.Join(", ", header.Select(h => $"'{h}'"))}.");
        }
        return index;
    }

    /// <summary>yyyy-MM-dd (also yyyy/MM/dd and yyyyMMdd), optionally followed by a time of day.</summary>
    /// <summary>The fast path: exactly yyyy-MM-dd in UTF-8.</summary>
    private static bool TryParseIsoDate(ReadOnlySpan<byte> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != (byte)'-' || s[7] != (byte)'-') return false;
        int year = 0, month = 0, day = 0;
        for (var i = 0; i < 10; i++)
        {
            if (i == 4 || i == 7) continue;
            var digit = s[i] - (byte)'0';
            if ((uint)digit > 9) return false;
            if (i < 4) year = year * 10 + digit;
            else if (i < 7) month = month * 10 + digit;
            else day = day * 10 + digit;
        }
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    internal static bool TryParseDate(string text, out DateOnly date, out bool hadTime)
    {
        hadTime = false;
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }
        if (text.Length > 10 && (text[10] == 'T' || text[10] == ' ')
            && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            hadTime = true;
            return true;
        }
        return false;
    }

    private static string Describe(IReadOnlyList<string> keyColumns, string key)
    {
        if (keyColumns.Count == 0) return "all rows";
        var parts = key.Split(KeySeparator);
        return string.Join(", ", keyColumns.Select((c, i) => $"{c}={(i < parts.Length ? parts[i] : "")}"));
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    /// <summary>The rows of one key, in file order, until they are turned into a gap-free daily array.</summary>
    private sealed class SeriesBuilder(string key)
    {
        private int[] _days = new int[64];
        private double[] _values = new double[64];
        private long[] _lines = new long[64];
        private int _count;
        private bool _sorted = true;

        public string Key { get; } = key;
        public int MinDay { get; private set; } = int.MaxValue;
        public int MaxDay { get; private set; } = int.MinValue;

        public void Add(int day, double value, long line)
        {
            if (_count == _days.Length)
            {
                Array.Resize(ref _days, _count * 2);
                Array.Resize(ref _values, _count * 2);
                Array.Resize(ref _lines, _count * 2);
            }
            if (_count > 0 && day < _days[_count - 1]) _sorted = false;
            _days[_count] = day;
            _values[_count] = value;
            _lines[_count] = line;
            _count++;
            if (day < MinDay) MinDay = day;
            if (day > MaxDay) MaxDay = day;
        }

        /// <summary>Daily values from the first row's day to <paramref name="lastDay"/>: duplicates summed, gaps zero.</summary>
        public double[] Build(int lastDay, out int duplicates, out string? duplicateExample, out int gaps, out string? firstGap)
        {
            if (!_sorted)
            {
                // Stable by day: sort positions, then reorder.
                var index = Enumerable.Range(0, _count).ToArray();
                var days = _days;
                Array.Sort(index, (a, b) => days[a] != days[b] ? days[a].CompareTo(days[b]) : a.CompareTo(b));
                _days = index.Select(i => days[i]).ToArray();
                var values = _values;
                _values = index.Select(i => values[i]).ToArray();
                var lines = _lines;
                _lines = index.Select(i => lines[i]).ToArray();
                _sorted = true;
            }

            var result = new double[lastDay - MinDay + 1];
            var seen = new bool[result.Length];
            duplicates = 0;
            duplicateExample = null;
            for (var i = 0; i < _count; i++)
            {
                var t = _days[i] - MinDay;
                if (seen[t])
                {
                    duplicates++;
                    duplicateExample ??= $"{DateOnly.FromDayNumber(_days[i]):yyyy-MM-dd} (lines {_lines[i - 1]} and {_lines[i]})";
                }
                seen[t] = true;
                result[t] += _values[i];
            }
            gaps = 0;
            firstGap = null;
            for (var t = 0; t <= MaxDay - MinDay; t++)
            {
                if (seen[t]) continue;
                gaps++;
                firstGap ??= DateOnly.FromDayNumber(MinDay + t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            return result;
        }
    }
}
