namespace BmesCds.Service.Hosting;

/// <summary>
/// A list setting, given as an array (`Key:0`, `Key:1`, or a JSON array) or as one comma-separated value (`Key=a,b`,
/// as an environment variable `Key=a,b` gives it). Without this, a single value would bind to an empty list, silently.
/// </summary>
public static class ConfigurationLists
{
    public static IReadOnlyList<string> Read(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        // Some sources give a section with children an empty value rather than none.
        var values = !string.IsNullOrWhiteSpace(section.Value)
            ? section.Value.Split(',')
            : section.GetChildren().Select(child => child.Value ?? string.Empty);
        return [.. values.Select(value => value.Trim()).Where(value => value.Length > 0)];
    }
}
