using System.Buffers;
using BmesCds.Clinical.Terminology;

namespace BmesCds.Clinical.Records;

/// <summary>
/// Recognises a systemic glucocorticoid by code (systemic-glucocorticoids) or, for product codes the value set does not
/// list (RxNorm clinical drugs), by an ingredient display of that value set in the medication's text.
/// </summary>
public sealed class GlucocorticoidMatcher
{
    private readonly ConceptSet _set;
    private readonly string[] _ingredients;

    // The same names for a vectorised search of all at once (ordinal, ignoring case, as string.Contains below).
    private readonly SearchValues<string> _anyIngredient;

    public GlucocorticoidMatcher(BmesTerminology terminology)
    {
        _set = terminology[BmesCanonicals.SystemicGlucocorticoids];
        _ingredients =
        [
            .. _set.Concepts
                .Where(concept => concept.Key.System.Contains("rxnorm", StringComparison.Ordinal))
                .Select(concept => concept.Display.ToLowerInvariant()),
        ];
        _anyIngredient = SearchValues.Create(_ingredients, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the text names an ingredient of the value set (case-insensitive), without allocating.</summary>
    public bool NamesIngredient(ReadOnlySpan<char> text) => text.ContainsAny(_anyIngredient);

    public bool Matches(IEnumerable<CodeKey> codes, string? text) =>
        codes.Any(_set.Contains) || (text is not null && _ingredients.Any(name => text.Contains(name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The matching concept's display, or the ingredient found in the text.</summary>
    public string? Describe(IEnumerable<CodeKey> codes, string? text) =>
        codes.Select(_set.Find).OfType<ConceptEntry>().Select(concept => concept.Display).FirstOrDefault()
        ?? (text is null ? null : _ingredients.FirstOrDefault(name => text.Contains(name, StringComparison.OrdinalIgnoreCase)));
}
