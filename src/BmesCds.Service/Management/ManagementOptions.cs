namespace BmesCds.Service.Management;

/// <summary>Configuration section <c>Management</c>: who may call /metrics and /admin, and where they listen (README "Operations").</summary>
internal sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>Shortest key accepted: a management key is a secret, not a password a person types.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>Secrets accepted as <c>Authorization: Bearer &lt;key&gt;</c> on /metrics, /admin and the console's data. None: nobody gets in.
    /// An empty entry (an unset environment variable) is no key.</summary>
    public IList<string?> ApiKeys { get; } = [];

    public IEnumerable<string> Keys => ApiKeys.Where(key => !string.IsNullOrEmpty(key))!;

    /// <summary>Addresses (';'-separated, like <c>Urls</c>) where /metrics, /admin and /console answer instead of the CDS addresses.</summary>
    public string? Urls { get; set; }

    /// <summary>Serve /metrics without a key. Only with <see cref="Urls"/>: a scraper on a private port, never on the CDS port.</summary>
    public bool MetricsWithoutKey { get; set; }

    public bool HasSeparatePort => !string.IsNullOrWhiteSpace(Urls);

    /// <summary>What is wrong with these settings, for a start-up failure; null when they are usable.</summary>
    public string? Problem()
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            if (!string.IsNullOrEmpty(key) && (key.Length < MinimumKeyLength || key.Trim().Length != key.Length))
            {
                return $"Management:ApiKeys:{i} must be at least {MinimumKeyLength} characters, without surrounding spaces (a random secret).";
            }
        }

        return MetricsWithoutKey && !HasSeparatePort
            ? "Management:MetricsWithoutKey needs Management:Urls: /metrics is opened without a key only on the management port, never on the CDS port."
            : null;
    }
}
