using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// The concrete FHIR R4 resource type names, looked up from the UTF-8 bytes of a "resourceType" value without
/// allocating: the one type check of the record walk and of both resource readers. A hit returns the interned name, so
/// equal types share one string.
/// </summary>
public static class KnownResourceTypes
{
    private static readonly FrozenSet<string> Names = Enum.GetValues<ResourceType>()
        .Select(ModelInfo.ResourceTypeToFhirTypeName)
        .OfType<string>()
        // Resource and DomainResource are in the enumeration but are abstract: no instance is either, and a POCO of
        // neither can be built (reading one threw where a refusal was due).
        .Where(name => ModelInfo.GetTypeForFhirType(name) is { IsAbstract: false } type && typeof(Resource).IsAssignableFrom(type))
        .ToFrozenSet(StringComparer.Ordinal);

    // Compared as UTF-8 with the few names of the same length, without decoding (this runs for every resource of a
    // request); a hit gives the interned name.
    private static readonly Utf8NameTable<string> ByUtf8 = new(Names.Select(name => (name, name)));

    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>The known type name spelled by <paramref name="utf8"/> (unescaped), or null.</summary>
    public static string? Find(ReadOnlySpan<byte> utf8) => ByUtf8.TryFind(utf8, out var name) ? name : null;
}
