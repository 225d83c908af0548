using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Terminology;

/// <summary>A (system, code) pair: the identity of a concept in lookups.</summary>
public readonly record struct CodeKey(string System, string Code)
{
    public static CodeKey? From(Coding? coding) =>
        coding is { System: { Length: > 0 } system, Code: { Length: > 0 } code } ? new CodeKey(system, code.Trim()) : null;
}
