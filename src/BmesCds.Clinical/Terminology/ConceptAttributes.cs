namespace BmesCds.Clinical.Terminology;

/// <summary>
/// What a concept says about an imaging study or a body site, read from the `bmes-concept-attributes` extension
/// on a ValueSet concept. Each part is null when the code does not carry it (e.g. CPT 73721 names no joint).
/// </summary>
public sealed record ConceptAttributes(string? Modality, string? Joint, string? Side, string? Contrast, string? Group)
{
    public static ConceptAttributes None { get; } = new(null, null, null, null, null);
}

/// <summary>One concept of a ValueSet or CodeSystem with its display and attributes.</summary>
public sealed record ConceptEntry(CodeKey Key, string Display, ConceptAttributes Attributes);
