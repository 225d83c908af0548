namespace BmesCds.Service.Hosting;

/// <summary>
/// Settings that had two keys for one thing, merged into one (issue 11). The old key still works, as if the new one had
/// been set, with a warning at start naming both; both set to different values stop the start, since either reading
/// would surprise someone.
/// </summary>
public static class RenamedSettings
{
    /// <summary>Old key -> the one key that replaces it.</summary>
    public static IReadOnlyList<(string Old, string New)> All { get; } =
    [
        ("Validation:ProfilesDirectory", "Terminology:Directory"),
        ("Clinical:SourceLabel", "Cards:SourceLabel"),
    ];

    /// <summary>Copies each old key's value to its new key when only the old one is set; returns the warnings to log.</summary>
    public static IReadOnlyList<string> Apply(IConfigurationManager configuration)
    {
        var carried = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        foreach (var (old, renamed) in All)
        {
            var oldValue = configuration[old];
            if (string.IsNullOrEmpty(oldValue))
            {
                continue;
            }

            var newValue = configuration[renamed];
            if (!string.IsNullOrEmpty(newValue) && newValue != oldValue)
            {
                throw new StartupConfigurationException(
                    $"{old} ('{oldValue}') and {renamed} ('{newValue}') are one setting: {old} is the old name; keep {renamed} only.");
            }

            carried[renamed] = oldValue;
            warnings.Add($"{old} is the old name of {renamed}: it still works, but set {renamed} instead.");
        }

        if (carried.Count > 0)
        {
            configuration.AddInMemoryCollection(carried);
        }

        return warnings;
    }
}
