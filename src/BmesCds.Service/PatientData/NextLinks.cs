using System.Text.Json;

namespace BmesCds.Service.PatientData;

/// <summary>
/// The `next` link of a searchset page. A link that says "next" but cannot be followed (no url, not a string, not a
/// URL, several different ones) is not "no more pages": it is <see cref="Unusable"/>, and the key fails (412) rather
/// than the record silently ending at this page.
/// </summary>
public static class NextLinks
{
    /// <summary>Stands for a `next` link that is there but cannot be followed; never fetched.</summary>
    public static Uri Unusable { get; } = new("urn:bmes-cds:unusable-next-link");

    public static Uri? Read(JsonElement bundle)
    {
        if (bundle.ValueKind != JsonValueKind.Object
            || !bundle.TryGetProperty("link", out var links) || links.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        Uri? next = null;
        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind != JsonValueKind.Object
                || !link.TryGetProperty("relation", out var relation) || relation.ValueKind != JsonValueKind.String
                || relation.GetString() != "next")
            {
                continue;
            }

            var url = Usable(link);
            if (url is null || (next is not null && next != url))
            {
                return Unusable;
            }

            next = url;
        }

        return next;
    }

    // Resolved against a stand-in base the way FhirServerEndpoint.Resolve will resolve it: what fails here, or leads
    // to anything but http(s), would fail there.
    private static Uri? Usable(JsonElement link) =>
        link.TryGetProperty("url", out var url)
        && url.ValueKind == JsonValueKind.String
        && url.GetString() is { Length: > 0 } text
        && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out var uri)
        && Uri.TryCreate(StandInBase, uri, out var resolved)
        && (resolved.Scheme == Uri.UriSchemeHttps || resolved.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;

    private static readonly Uri StandInBase = new("https://fhir.invalid/base/");
}
