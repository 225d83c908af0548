using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Terminology;

/// <summary>
/// The project's value sets and code systems, indexed once at start into frozen lookups.
/// Built from already-parsed FHIR resources: reading the files is the host's job.
/// </summary>
public sealed class BmesTerminology
{
    private readonly FrozenDictionary<string, ConceptSet> _sets;

    private BmesTerminology(FrozenDictionary<string, ConceptSet> sets) => _sets = sets;

    public IEnumerable<ConceptSet> All => _sets.Values;

    /// <summary>The value set or code system with this canonical URL; throws when it was not loaded.</summary>
    public ConceptSet this[string canonicalUrl] => _sets.TryGetValue(canonicalUrl, out var set)
        ? set
        : throw new TerminologyException($"The terminology has no ValueSet or CodeSystem '{canonicalUrl}'.");

    public static BmesTerminology Build(IEnumerable<ValueSet> valueSets, IEnumerable<CodeSystem> codeSystems)
    {
        var sets = new Dictionary<string, ConceptSet>(StringComparer.Ordinal);
        foreach (var valueSet in valueSets)
        {
            Add(sets, valueSet.Url, ReadValueSet(valueSet));
        }

        foreach (var codeSystem in codeSystems)
        {
            Add(sets, codeSystem.Url, ReadCodeSystem(codeSystem));
        }

        var missing = BmesCanonicals.RequiredValueSets.Concat(BmesCanonicals.RequiredCodeSystems)
            .Where(url => !sets.ContainsKey(url))
            .ToList();
        if (missing.Count > 0)
        {
            throw new TerminologyException($"Missing terminology: {string.Join(", ", missing)}.");
        }

        return new BmesTerminology(sets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static void Add(Dictionary<string, ConceptSet> sets, string? url, Func<string, ConceptSet> build)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new TerminologyException("A ValueSet or CodeSystem has no url.");
        }

        if (sets.ContainsKey(url))
        {
            throw new TerminologyException($"'{url}' is defined twice.");
        }

        sets[url] = build(url);
    }

    private static Func<string, ConceptSet> ReadValueSet(ValueSet valueSet) => url =>
    {
        var includes = valueSet.Compose?.Include ?? [];
        if (includes.Count == 0)
        {
            throw new TerminologyException($"ValueSet '{url}' has no compose.include.");
        }

        var concepts = new List<ConceptEntry>();
        foreach (var include in includes)
        {
            if (string.IsNullOrWhiteSpace(include.System) || include.Filter.Count > 0 || include.ValueSet.Any())
            {
                throw new TerminologyException(
                    $"ValueSet '{url}' must be extensional: every include needs a system and explicit concepts, no filters.");
            }

            concepts.AddRange(include.Concept.Select(concept => new ConceptEntry(
                Key(url, include.System, concept.Code),
                concept.Display ?? concept.Code ?? string.Empty,
                ReadAttributes(concept))));
        }

        return Distinct(url, concepts);
    };

    private static Func<string, ConceptSet> ReadCodeSystem(CodeSystem codeSystem) => url =>
        Distinct(url, codeSystem.Concept.Select(concept => new ConceptEntry(
            Key(url, url, concept.Code), concept.Display ?? concept.Code ?? string.Empty, ConceptAttributes.None)).ToList());

    private static CodeKey Key(string url, string system, string? code) => string.IsNullOrWhiteSpace(code)
        ? throw new TerminologyException($"'{url}' has a concept without a code.")
        : new CodeKey(system, code);

    private static ConceptSet Distinct(string url, List<ConceptEntry> concepts)
    {
        var duplicate = concepts.GroupBy(concept => concept.Key).FirstOrDefault(group => group.Count() > 1);
        return duplicate is null
            ? new ConceptSet(url, concepts)
            : throw new TerminologyException($"'{url}' lists {duplicate.Key.System}|{duplicate.Key.Code} twice.");
    }

    private static ConceptAttributes ReadAttributes(ValueSet.ConceptReferenceComponent concept)
    {
        var attributes = concept.GetExtension(BmesCanonicals.ConceptAttributesExtension);
        if (attributes is null)
        {
            return ConceptAttributes.None;
        }

        string? Part(string name) => (attributes.GetExtension(name)?.Value as Code)?.Value;
        return new ConceptAttributes(Part("modality"), Part("joint"), Part("side"), Part("contrast"), Part("group"));
    }
}
