using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>
/// The EHR's FHIR server for one hook call and the token it granted. The token goes only to URLs under this base
/// (see <see cref="Owns"/>); ToString never shows it (FhirAuthorization redacts itself).
/// </summary>
public sealed record FhirServerEndpoint(Uri BaseUrl, FhirAuthorization? Authorization)
{
    private Uri Base { get; } = BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");

    public bool IsHttps => Base.Scheme == Uri.UriSchemeHttps;

    /// <summary>A relative FHIR URL (e.g. "Condition?patient=1") against the base.</summary>
    public Uri Resolve(string relative) => new(Base, relative);

    /// <summary>Whether a URL (e.g. a Bundle's next link) is on this server, under this base: only then is it followed.</summary>
    public bool Owns(Uri url) =>
        url.IsAbsoluteUri
        && Uri.Compare(url, Base, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
        && url.AbsolutePath.StartsWith(Base.AbsolutePath, StringComparison.Ordinal);
}
