using BmesCds.CdsHooks.Discovery;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Rules;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests;

/// <summary>The README rule table is generated from the catalogue; BMES_UPDATE_README=1 rewrites it.</summary>
public class RuleTableTests
{
    [Test]
    public void Readme_rule_table_matches_the_catalogue()
    {
        var path = Path.Combine(Repository.Root, "README.md");
        var readme = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = readme.IndexOf(RuleTable.StartMarker, StringComparison.Ordinal);
        var end = readme.IndexOf(RuleTable.EndMarker, StringComparison.Ordinal);
        Assert.That(start >= 0 && end > start, Is.True, "README.md needs the rule-table markers");
        var current = readme[(start + RuleTable.StartMarker.Length)..end];
        var expected = "\n" + RuleTable.ToMarkdown();
        if (current != expected && Environment.GetEnvironmentVariable("BMES_UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme[..(start + RuleTable.StartMarker.Length)] + expected + readme[end..]);
            Assert.Pass("README.md rule table rewritten.");
        }

        Assert.That(current, Is.EqualTo(expected), "Run the tests with BMES_UPDATE_README=1 to regenerate the README rule table.");
    }

    [Test]
    public void Catalogue_has_the_seven_rules_in_priority_order_with_the_code_system_ids()
    {
        Assert.That(RuleCatalogue.All.Select(rule => rule.Priority), Is.EqualTo(Enumerable.Range(1, 7)));
        var codes = Vocabulary.Terminology["https://bmes-cds.org/fhir/CodeSystem/bmes-cds-rule"].Concepts.Select(concept => concept.Key.Code);
        Assert.That(RuleCatalogue.All.Select(rule => rule.Id), Is.EquivalentTo(codes));
    }

    [Test]
    public void Patient_view_runs_the_osteonecrosis_rules_and_mri_recommended_only()
    {
        Assert.That(RuleCatalogue.ForHook(HookKind.PatientView).Select(rule => rule.Id), Is.EqualTo(new[]
        {
            "osteonecrosis-findings", "early-osteonecrosis-not-excluded", "osteonecrosis-risk", "mri-recommended",
        }));
        Assert.That(RuleCatalogue.ForHook(HookKind.OrderSign), Has.Count.EqualTo(6));
    }
}
