using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests.Terminology;

/// <summary>
/// CodeLookup turns most codings away by their code before decoding their system (MayContain): that may never turn
/// away a coding Contains accepts, whatever the codes and systems hold ('|' included, padding spaces).
/// </summary>
public class CodeLookupTests
{
    private static ConceptEntry Entry(string system, string code) => new(new CodeKey(system, code), "d", ConceptAttributes.None);

    [Test]
    public void Every_accepted_coding_passes_the_code_check()
    {
        var sets = RecordInterest.GatingValueSets.Distinct().Select(url => Fixtures.Terminology[url]).ToList();
        sets.Add(new ConceptSet("odd", [Entry("urn:a|b", "c"), Entry("urn:x", "y|z"), Entry("urn:p", "q")]));
        var lookup = new CodeLookup(sets);
        var keys = sets.SelectMany(set => set.Concepts).Select(concept => $"{concept.Key.System}|{concept.Key.Code}").ToList();

        // Every split of every key at one of its '|' is a (system, code) that Contains accepts.
        var accepted = 0;
        foreach (var key in keys)
        {
            for (var i = key.IndexOf('|', StringComparison.Ordinal); i >= 0; i = key.IndexOf('|', i + 1))
            {
                var (system, code) = (key[..i], key[(i + 1)..]);
                foreach (var written in new[] { code, $" {code} " })
                {
                    Assert.That(lookup.Contains(system, written), Is.True, key);
                    Assert.That(lookup.MayContain(written), Is.True, key);
                    accepted++;
                }
            }
        }

        Assert.That(accepted, Is.GreaterThan(keys.Count * 2));
        Assert.Multiple(() =>
        {
            Assert.That(lookup.Contains("urn:a", "b|c"), Is.True, "a system's '|' may come from the code's side");
            Assert.That(lookup.MayContain("nowhere"), Is.False);
            Assert.That(lookup.MayContain("b"), Is.False);
        });
    }
}
