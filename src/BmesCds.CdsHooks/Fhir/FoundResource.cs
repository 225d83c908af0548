using System.Text;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// Where a found resource sits, for error messages only: a prefix such as "prefetch.conditions" and, inside a Bundle,
/// the entry index. The text is built when an error names it, never on the happy path.
/// </summary>
/// <param name="Prefix">Where the value is, e.g. "context.draftOrders" or "prefetch".</param>
/// <param name="Entry">The Bundle entry, or -1.</param>
/// <param name="Key">A member of <paramref name="Prefix"/> (a prefetch key), joined to it only when the text is built.</param>
public readonly record struct ResourcePath(string Prefix, int Entry = -1, string? Key = null)
{
    public override string ToString() => Entry < 0 ? Head : $"{Head}.entry[{Entry}].resource";

    /// <summary>The path of entry <paramref name="index"/> of the Bundle at this path.</summary>
    public ResourcePath EntryAt(int index) => Entry < 0 ? this with { Entry = index } : new(ToString(), index);

    /// <summary>The path of a member of the entry (e.g. "entry[3]" itself, "entry").</summary>
    public string Member(string member) => $"{(Entry < 0 ? Head : ToString())}.{member}";

    private string Head => Key is null ? Prefix : $"{Prefix}.{Key}";
}

/// <summary>
/// A resource the walk found in a JSON buffer and did not parse yet: its type, where its JSON is, its id (as a range,
/// so irrelevant resources cost no string) and whether the rules read it.
/// </summary>
public readonly record struct FoundResource(
    string Type,
    int Start,
    int Length,
    int IdStart,
    int IdLength,
    bool IdEscaped,
    bool Relevant,
    ResourcePath Path)
{
    public bool HasId => IdStart >= 0 && IdLength > 0;

    /// <summary>The resource's JSON inside <paramref name="buffer"/>.</summary>
    public ReadOnlySpan<byte> Json(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);

    /// <summary>The id, or null; allocates, so it is asked only for resources that are read.</summary>
    public string? Id(ReadOnlySpan<byte> buffer)
    {
        if (!HasId)
        {
            return null;
        }

        var raw = buffer.Slice(IdStart, IdLength);
        return IdEscaped ? System.Text.Json.JsonSerializer.Deserialize<string>(buffer.Slice(IdStart - 1, IdLength + 2)) : Encoding.UTF8.GetString(raw);
    }
}

/// <summary>What one walk found: resources (Bundles flattened) and, for a top-level searchset page, its `next` link.</summary>
public sealed class WalkResult
{
    public List<FoundResource> Resources { get; } = [];

    /// <summary>The type of the walked value itself (e.g. "Bundle", "Patient", "OperationOutcome").</summary>
    public string? Type { get; set; }

    /// <summary>The `next` link of a top-level Bundle as written, or null.</summary>
    public string? NextLink { get; set; }
}

/// <summary>A count shared by the walks of one request: most resources in all its prefetch values together.</summary>
public sealed class ResourceBudget(int limit, string setting, string field)
{
    private int _used;

    public int Limit { get; } = limit;

    public void Spend()
    {
        if (++_used > Limit)
        {
            throw new Json.RequestRefusedException(new Requests.ProtocolError(
                field, $"holds more than {Limit} resources (setting {setting})", Requests.ProtocolErrorKind.TooLarge));
        }
    }

    public static ResourceBudget Unlimited { get; } = new(int.MaxValue, string.Empty, string.Empty);
}
