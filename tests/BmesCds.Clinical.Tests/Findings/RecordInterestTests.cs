using System.Reflection;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests.Findings;

/// <summary>
/// A value set the findings start reading must also decide which resources are parsed, or what it matches never
/// reaches the engine: every value set the vocabulary holds is classified in RecordInterest, one way or the other.
/// </summary>
public class RecordInterestTests
{
    [Test]
    public void Every_value_set_of_the_vocabulary_is_declared_gating_or_not_gating()
    {
        var vocabulary = new Vocabulary(Fixtures.Terminology);
        var used = typeof(Vocabulary).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.PropertyType == typeof(ConceptSet))
            .Select(property => ((ConceptSet)property.GetValue(vocabulary)!).Url)
            .ToList();

        Assert.That(used, Is.Not.Empty);
        Assert.That(used.Except(RecordInterest.GatingValueSets).Except(RecordInterest.NotGatingValueSets), Is.Empty,
            "declare each in RecordInterest (and make the resources it matches relevant), or name it as not gating");
    }

    [Test]
    public void A_condition_coded_from_each_condition_value_set_is_read()
    {
        foreach (var url in RecordInterest.ConditionValueSets)
        {
            var concept = Fixtures.Terminology[url].Ordered[0];
            var condition = $$$"""{"resourceType":"Condition","id":"c","code":{"coding":[{"system":"{{{concept.Key.System}}}","code":"{{{concept.Key.Code}}}"}]}}""";
            Assert.That(Fixtures.ReadRecord(condition).Record!.Resources, Has.Count.EqualTo(1), url);
        }
    }
}
