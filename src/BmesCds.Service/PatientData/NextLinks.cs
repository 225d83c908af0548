using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Pipeline;

namespace BmesCds.Service.PatientData;

/// <summary>
/// The `next` link of a searchset page, as the URL to follow. A link that says "next" but cannot be followed (no url,
/// not a string, not an http(s) URL, several different ones) is not "no more pages": it is <see cref="Unusable"/>,
/// and the key fails (412) rather than the record silently ending at that page.
/// </summary>
public static class NextLinks
{
    /// <summary>Stands for a `next` link that is there but cannot be followed; never fetched.</summary>
    public static Uri Unusable { get; } = new("urn:bmes-cds:unusable-next-link");

    /// <summary>The link resolved against fhirServer, or <see cref="Unusable"/>.</summary>
    public static Uri Resolve(FhirServerEndpoint server, string link)
    {
        if (link.Length == 0 || link == FhirJsonWalker.UnusableNextLink || link.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return Unusable;
        }

        Uri resolved;
        try
        {
            resolved = server.Resolve(link);
        }
        catch (UriFormatException)
        {
            return Unusable;
        }

        return resolved.Scheme == Uri.UriSchemeHttps || resolved.Scheme == Uri.UriSchemeHttp ? resolved : Unusable;
    }
}
