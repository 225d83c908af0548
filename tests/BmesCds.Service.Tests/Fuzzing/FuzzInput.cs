namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>What was done to a seed.</summary>
public enum MutationKind
{
    /// <summary>A property removed, at a property path of some seed (each path in turn).</summary>
    FieldDeletion,

    /// <summary>A value replaced by a string, number, boolean, null, object or array (each path and type in turn).</summary>
    TypeSwap,

    /// <summary>A string value replaced by an awkward one: empty, blank, control characters, very long, not a date...</summary>
    OddString,

    /// <summary>A lone UTF-16 surrogate escape (<c>\ud800</c>, <c>\udc00</c>) put into a string or a property name.</summary>
    LoneSurrogate,

    /// <summary>Bytes that are not UTF-8 put into a string or a property name.</summary>
    InvalidUtf8,

    /// <summary>A property given twice in one object.</summary>
    DuplicateKey,

    /// <summary>A value replaced by arrays or objects nested around the depth limit, or far beyond it.</summary>
    DeepNesting,

    /// <summary>An array grown to many copies of an element: within the limits, at them, beyond them and beyond the body size.</summary>
    HugeArray,

    /// <summary>Bits flipped, bytes replaced, inserted or removed in the raw body.</summary>
    ByteFlip,

    /// <summary>The raw body cut short.</summary>
    Truncation,

    /// <summary>The seed unchanged, sent with another Content-Type.</summary>
    MediaType,
}

/// <summary>One request of a fuzz run: which input it is, what it came from and what was done, and the bytes sent.</summary>
public sealed record FuzzInput(int Index, FuzzSeed Seed, MutationKind Kind, string Detail, byte[] Body, string? ContentType = "application/json")
{
    public string Describe() => $"input {Index}: {Kind} of {Seed.Name} ({Detail}), {Body.Length} bytes, POST {Seed.Endpoint}, Content-Type {ContentType ?? "none"}";
}
