using System.Collections.Frozen;
using System.Text;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// The FHIR R4 resource type names, looked up from the UTF-8 bytes of a "resourceType" value without allocating: the
/// one type check of the record walk. A hit returns the interned name, so equal types share one string.
/// </summary>
public static class KnownResourceTypes
{
    private static readonly FrozenSet<string> Names = Enum.GetValues<ResourceType>()
        .Select(ModelInfo.ResourceTypeToFhirTypeName)
        .OfType<string>()
        .Where(name => ModelInfo.GetTypeForFhirType(name) is { } type && typeof(Resource).IsAssignableFrom(type))
        .ToFrozenSet(StringComparer.Ordinal);

    // The names as UTF-8 by length: a resourceType is compared with the few names of its length, byte by byte, without
    // decoding it (this runs for every resource of a request).
    private static readonly (byte[] Utf8, string Name)[][] ByLength = ByUtf8Length();

    private static (byte[] Utf8, string Name)[][] ByUtf8Length()
    {
        var named = Names.Select(name => (Utf8: Encoding.UTF8.GetBytes(name), Name: name)).ToList();
        return [.. Enumerable.Range(0, named.Max(pair => pair.Utf8.Length) + 1).Select(length => named.Where(pair => pair.Utf8.Length == length).ToArray())];
    }

    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>The known type name spelled by <paramref name="utf8"/> (unescaped), or null.</summary>
    public static string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || (uint)utf8.Length >= (uint)ByLength.Length)
        {
            return null;
        }

        foreach (var (bytes, name) in ByLength[utf8.Length])
        {
            if (bytes[0] == utf8[0] && utf8.SequenceEqual(bytes))
            {
                return name;
            }
        }

        return null;
    }
}
