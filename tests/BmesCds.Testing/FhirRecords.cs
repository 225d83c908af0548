using System.Text;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Clinical.Findings;

namespace BmesCds.Testing;

/// <summary>
/// Raw FHIR JSON (resources or Bundles) to a record the way the pipeline builds one: the one walk, then the
/// assembler. For tests that feed the engine a record without a whole hook request.
/// </summary>
public static class FhirRecords
{
    private static readonly Lazy<FhirJsonWalker> Walker = new(() => new FhirJsonWalker(new RecordInterest(Vocabulary.Terminology)));

    /// <summary>Each JSON value walked on its own (as a prefetch key's value), then assembled together.</summary>
    public static RecordAssembly Read(params string[] values)
    {
        var sources = new List<SourcedResources>();
        foreach (var value in values)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            var found = Walk(bytes);
            sources.Add(new SourcedResources(bytes, found.Resources, false));
        }

        return RecordAssembler.Assemble(sources);
    }

    /// <summary>What the walk finds in one JSON value; throws <see cref="RequestRefusedException"/> when it refuses it.</summary>
    public static WalkResult Walk(byte[] json)
    {
        var reader = new LimitedJsonReader(json, new RequestLimits());
        reader.Next();
        var found = new WalkResult();
        Walker.Value.Walk(ref reader, json, new ResourcePath("test"), found, ResourceBudget.Unlimited);
        return found;
    }
}
