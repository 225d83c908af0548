using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Terminology;

/// <summary>The concepts of one extensional ValueSet or CodeSystem, in a frozen lookup.</summary>
public sealed class ConceptSet
{
    private readonly FrozenDictionary<CodeKey, ConceptEntry> _concepts;

    public ConceptSet(string url, IEnumerable<ConceptEntry> concepts)
    {
        Url = url;
        Ordered = [.. concepts];
        _concepts = Ordered.ToFrozenDictionary(concept => concept.Key);
    }

    public string Url { get; }

    public int Count => _concepts.Count;

    public IEnumerable<ConceptEntry> Concepts => _concepts.Values;

    /// <summary>The concepts in the order the ValueSet or CodeSystem lists them (first match wins where order matters).</summary>
    public IReadOnlyList<ConceptEntry> Ordered { get; }

    public bool Contains(CodeKey key) => _concepts.ContainsKey(key);

    public ConceptEntry? Find(CodeKey key) => _concepts.GetValueOrDefault(key);

    /// <summary>The first coding of the concept that is in this set, or null.</summary>
    public ConceptEntry? Find(CodeableConcept? concept)
    {
        if (concept is null)
        {
            return null;
        }

        // The list itself, not as an IEnumerable: this runs for every coded element of the record, per value set.
        foreach (var coding in concept.Coding)
        {
            if (CodeKey.From(coding) is { } key && _concepts.TryGetValue(key, out var entry))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The first coding that is in this set, or null.</summary>
    public ConceptEntry? Find(IEnumerable<Coding>? codings)
    {
        if (codings is null)
        {
            return null;
        }

        foreach (var coding in codings)
        {
            if (CodeKey.From(coding) is { } key && _concepts.TryGetValue(key, out var entry))
            {
                return entry;
            }
        }

        return null;
    }
}
