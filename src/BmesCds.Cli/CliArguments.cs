namespace BmesCds.Cli;

/// <summary><c>--name value</c> pairs, bare <c>--flag</c>s and at most one positional argument (a file). A verb reads
/// what it knows, then calls <see cref="RejectUnread"/> so a misspelt option or a stray argument is an error rather than
/// silently ignored. A word after an option is that option's value: put the positional argument first or after
/// an option that has a value.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _values;
    private readonly List<string> _positionals;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private bool _positionalRead;

    private CliArguments(Dictionary<string, string?> values, List<string> positionals)
    {
        _values = values;
        _positionals = positionals;
    }

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                throw new UsageException($"unexpected argument '{arg}'.");
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (!values.TryAdd(name, value))
            {
                throw new UsageException($"--{name} is given more than once.");
            }
        }

        return new CliArguments(values, positionals);
    }

    /// <summary>The one positional argument, e.g. the file to work on; <paramref name="name"/> names it in errors.</summary>
    public string Argument(string name)
    {
        _positionalRead = true;
        return _positionals.Count switch
        {
            0 => throw new UsageException($"{name} is required."),
            1 => _positionals[0],
            _ => throw new UsageException($"one {name} only, not '{string.Join("', '", _positionals)}'."),
        };
    }

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"--{name} is required.");

    public string? Optional(string name)
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(value) ? throw new UsageException($"--{name} needs a value.") : value;
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"--{name} must be a whole number from {min} to {max}, not '{text}'.");
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return false;
        }

        return value is null ? true : throw new UsageException($"--{name} takes no value.");
    }

    public void RejectUnread()
    {
        if (!_positionalRead && _positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{_positionals[0]}'.");
        }

        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option {string.Join(", ", unknown.Select(k => "--" + k))}.");
        }
    }
}
