namespace BmesCds.Cli;

/// <summary><c>--name value</c> pairs and bare <c>--flag</c>s. A verb reads what it knows, then calls
/// <see cref="RejectUnread"/> so a misspelt option is an error rather than silently ignored.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CliArguments(Dictionary<string, string?> values) => _values = values;

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'.");
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

        return new CliArguments(values);
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
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option {string.Join(", ", unknown.Select(k => "--" + k))}.");
        }
    }
}
