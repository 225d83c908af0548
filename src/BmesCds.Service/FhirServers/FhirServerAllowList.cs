using System.Net;
using BmesCds.Service.Hosting;

namespace BmesCds.Service.FhirServers;

/// <summary>
/// The FHIR server base URLs a caller may name as <c>fhirServer</c>. An entry admits a URL with the same scheme, host
/// and port whose path is the entry's path or below it at a <c>/</c> boundary (<c>https://ehr.example/fhir</c>
/// admits <c>https://ehr.example/fhir/r4</c>, not <c>https://ehr.example/fhir-admin</c>). The Development default
/// admits any loopback server (<c>localhost</c>, 127.0.0.0/8, ::1) on any port, for local testing.
/// </summary>
public sealed class FhirServerAllowList
{
    private readonly IReadOnlyList<Uri> _prefixes;

    private FhirServerAllowList(IReadOnlyList<Uri> prefixes, bool anyLoopback)
    {
        _prefixes = prefixes;
        AnyLoopback = anyLoopback;
    }

    /// <summary>Admits nothing: no fhirServer is ever used.</summary>
    public static FhirServerAllowList None { get; } = new([], anyLoopback: false);

    /// <summary>Whether any loopback server is admitted (the Development default).</summary>
    public bool AnyLoopback { get; }

    public int Count => _prefixes.Count;

    /// <summary>For the start-up log: the entries, as configured.</summary>
    public IEnumerable<string> Describe() =>
        _prefixes.Select(prefix => prefix.AbsoluteUri.TrimEnd('/')).Concat(AnyLoopback ? ["any loopback server"] : []);

    /// <summary>
    /// The list from configuration; when it has no entries, <paramref name="defaults"/>, plus any loopback server in
    /// Development. Throws, naming <paramref name="setting"/>, when an entry is not a usable base URL.
    /// </summary>
    public static FhirServerAllowList From(IEnumerable<string>? configured, string setting, bool isDevelopment, IEnumerable<string>? defaults = null)
    {
        var entries = (configured ?? []).Where(entry => !string.IsNullOrWhiteSpace(entry)).ToList();
        var useDefaults = entries.Count == 0;
        var prefixes = new List<Uri>();
        foreach (var entry in useDefaults ? defaults ?? [] : entries)
        {
            prefixes.Add(Parse(entry) ?? throw new StartupConfigurationException(
                $"{setting}: '{entry}' is not a FHIR server base URL (absolute http or https, no query, fragment or user name)."));
        }

        return new FhirServerAllowList(prefixes, anyLoopback: useDefaults && isDevelopment);
    }

    /// <summary>Whether <paramref name="fhirServer"/> is admitted.</summary>
    public bool Admits(Uri fhirServer)
    {
        if (!IsPlainBaseUrl(fhirServer))
        {
            return false;
        }

        if (AnyLoopback && IsLoopbackHost(fhirServer))
        {
            return true;
        }

        var path = fhirServer.AbsolutePath.TrimEnd('/');
        return _prefixes.Any(prefix =>
            prefix.Scheme == fhirServer.Scheme
            && string.Equals(prefix.IdnHost, fhirServer.IdnHost, StringComparison.OrdinalIgnoreCase)
            && prefix.Port == fhirServer.Port
            && IsAtOrBelow(path, prefix.AbsolutePath.TrimEnd('/')));
    }

    private static bool IsAtOrBelow(string path, string prefix) =>
        path.Length == prefix.Length
            ? string.Equals(path, prefix, StringComparison.Ordinal)
            : path.StartsWith(prefix + "/", StringComparison.Ordinal);

    private static Uri? Parse(string entry) =>
        Uri.TryCreate(entry.Trim(), UriKind.Absolute, out var uri) && IsPlainBaseUrl(uri) ? uri : null;

    private static bool IsPlainBaseUrl(Uri uri) =>
        uri.IsAbsoluteUri
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>The host names this machine by its name or a loopback literal (in any spelling System.Uri accepts).</summary>
    private static bool IsLoopbackHost(Uri uri) =>
        string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.IdnHost, out var address)
            && SpecialPurposeAddresses.Classify(address).Kind == AddressKind.Loopback);
}
