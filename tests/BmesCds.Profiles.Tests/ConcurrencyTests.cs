using Hl7.Fhir.Model;

namespace BmesCds.Profiles.Tests;

/// <summary>The service shares one validator between requests; Firely's is not thread-safe on its own.</summary>
public sealed class ConcurrencyTests
{
    [Test]
    public void A_cold_validator_used_from_many_threads_at_once_gives_every_caller_the_right_answer()
    {
        // Cold on purpose: schema loading and snapshot generation are where concurrent use breaks.
        var validator = ProfileValidator.Create(Repository.ProfilesDirectory);
        var examples = Directory.EnumerateFiles(Path.Combine(Repository.SamplesDirectory, "profiles"), "*.json")
            .Select(f => Repository.ReadResource(Repository.Relative(f)))
            .ToList();

        var outcomes = new OperationOutcome[examples.Count * 4];
        Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var resource = examples[i % examples.Count];
            outcomes[i] = validator.Validate(resource, resource.Meta!.Profile.First()!);
        });

        Assert.That(outcomes.SelectMany(o => o.Errors()), Is.Empty, outcomes.SelectMany(o => o.Errors()).Describe());
    }
}
