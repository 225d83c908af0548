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
    private const int LongestName = 64;

    private static readonly FrozenSet<string> Names = Enum.GetValues<ResourceType>()
        .Select(ModelInfo.ResourceTypeToFhirTypeName)
        .OfType<string>()
        .Where(name => ModelInfo.GetTypeForFhirType(name) is { } type && typeof(Resource).IsAssignableFrom(type))
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ByChars = Names.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>The known type name spelled by <paramref name="utf8"/> (unescaped), or null.</summary>
    public static string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0 || utf8.Length > LongestName)
        {
            return null;
        }

        Span<char> chars = stackalloc char[LongestName];
        var count = Encoding.UTF8.GetChars(utf8, chars);
        return ByChars.TryGetValue(chars[..count], out var name) ? name : null;
    }
}
