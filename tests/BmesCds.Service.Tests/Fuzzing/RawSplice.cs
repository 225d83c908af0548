using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Writes a JSON tree to bytes with a marker swapped for raw bytes that no JSON writer would produce: a lone surrogate
/// escape, invalid UTF-8, a duplicate key, numbers beyond double, nesting deeper than any writer allows. The mutation
/// puts <see cref="Marker"/> where the raw bytes go (as a whole string value, inside a string, or as a property name),
/// and names which of those it is.
/// </summary>
public static class RawSplice
{
    public const string Marker = "FUZZ_MARKER_7f3a9c";

    private static readonly JsonSerializerOptions Writer = new()
    {
        // Non-ASCII text stays as the seed has it; the depth allows the seeds, not the spliced nesting (added as bytes).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 256,
    };

    public static byte[] Write(JsonNode? root) => Encoding.UTF8.GetBytes(root?.ToJsonString(Writer) ?? "null");

    /// <summary>The tree's bytes with the quoted marker (<c>"FUZZ_MARKER..."</c>) replaced by <paramref name="raw"/>.</summary>
    public static byte[] ReplaceValue(JsonNode root, ReadOnlySpan<byte> raw) => Replace(Write(root), "\"" + Marker + "\"", raw);

    /// <summary>The tree's bytes with the marker inside a string replaced by <paramref name="raw"/> (still inside the string).</summary>
    public static byte[] ReplaceInString(JsonNode root, ReadOnlySpan<byte> raw) => Replace(Write(root), Marker, raw);

    private static byte[] Replace(byte[] json, string marker, ReadOnlySpan<byte> raw)
    {
        var at = json.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
        if (at < 0)
        {
            throw new InvalidOperationException("the mutation left no marker in the tree");
        }

        var result = new byte[json.Length - marker.Length + raw.Length];
        json.AsSpan(0, at).CopyTo(result);
        raw.CopyTo(result.AsSpan(at));
        json.AsSpan(at + marker.Length).CopyTo(result.AsSpan(at + raw.Length));
        return result;
    }
}
