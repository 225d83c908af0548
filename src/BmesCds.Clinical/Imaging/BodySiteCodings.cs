using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Imaging;

/// <summary>
/// The codings of a bodySite, including the side carried in the `bmes-laterality` extension (R4 bodySite has no
/// laterality element; some EHRs send the side as a second bodySite instead, which the plain codings already cover).
/// </summary>
public static class BodySiteCodings
{
    public static IEnumerable<Coding> Of(CodeableConcept? site)
    {
        if (site is null)
        {
            yield break;
        }

        foreach (var coding in site.Coding)
        {
            yield return coding;
        }

        foreach (var extension in site.Extension)
        {
            if (extension.Url == BmesCanonicals.LateralityExtension && extension.Value is CodeableConcept laterality)
            {
                foreach (var coding in laterality.Coding)
                {
                    yield return coding;
                }
            }
        }
    }

    public static IEnumerable<Coding> Of(IEnumerable<CodeableConcept> sites) => sites.SelectMany(Of);
}
