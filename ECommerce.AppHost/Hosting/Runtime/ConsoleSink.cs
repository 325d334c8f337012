using System.Threading.Channels;

namespace ECommerce.AppHost.Hosting.Runtime;

/// <summary>
/// Writes every resource's lines to the console, prefixed by the resource's name, and to
/// DATA_DIR/logs/NAME.log. One writer task, so lines from different processes never interleave.
/// </summary>
internal sealed class ConsoleSink : IAsyncDisposable
{
    private static readonly string[] Colors = ["\e[36m", "\e[32m", "\e[33m", "\e[35m", "\e[34m", "\e[96m", "\e[92m", "\e[93m"];
    private readonly Channel<LogLine> _channel = Channel.CreateUnbounded<LogLine>(new() { SingleReader = true });
    private readonly Dictionary<string, StreamWriter> _files = [];
    private readonly Dictionary<string, string> _colors = [];
    private readonly string _logDir;
    private readonly bool _echo;
    private readonly bool _useColor = !Console.IsOutputRedirected;
    private readonly Task _writer;

    public ConsoleSink(string logDir, bool echo)
    {
        _logDir = logDir;
        _echo = echo;
        Directory.CreateDirectory(logDir);
        _writer = Task.Run(WriteLoopAsync);
    }

    public int NameWidth { get; set; } = 15;

    public void Write(LogLine line) => _channel.Writer.TryWrite(line);

    /// <summary>A line of the AppHost's own, always shown.</summary>
    public void Info(string text) => Write(new LogLine(DateTimeOffset.Now, "", text, false));

    public void Error(string text) => Write(new LogLine(DateTimeOffset.Now, "", text, true));

    private async Task WriteLoopAsync()
    {
        await foreach (var line in _channel.Reader.ReadAllAsync())
        {
            if (line.Resource.Length == 0)
            {
                var text = _useColor && line.IsError ? $"\e[31m{line.Text}\e[0m" : line.Text;
                (line.IsError ? Console.Error : Console.Out).WriteLine(text);
                continue;
            }
            FileFor(line.Resource).WriteLine($"{line.Time:O} {line.Text}");
            if (_echo)
            {
                var name = line.Resource.PadRight(NameWidth);
                Console.Out.WriteLine(_useColor ? $"{ColorFor(line.Resource)}{name}\e[0m| {line.Text}" : $"{name}| {line.Text}");
            }
        }
    }

    private StreamWriter FileFor(string resource)
    {
        if (!_files.TryGetValue(resource, out var writer))
        {
            writer = new StreamWriter(Path.Combine(_logDir, resource + ".log"), append: true) { AutoFlush = true };
            _files[resource] = writer;
        }
        return writer;
    }

    private string ColorFor(string resource)
    {
        if (!_colors.TryGetValue(resource, out var color))
        {
            color = Colors[_colors.Count % Colors.Length];
            _colors[resource] = color;
        }
        return color;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer;
        foreach (var file in _files.Values)
        {
            await file.DisposeAsync();
        }
        await Console.Out.FlushAsync();
    }
}
