using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>Removes one property: the n-th input of this kind removes a property of the n-th property shape, in turn.</summary>
public sealed class FieldDeletion(IReadOnlyList<FuzzSeed> seeds, PathCatalogue paths, int offset) : IMutation
{
    public MutationKind Kind => MutationKind.FieldDeletion;

    public Mutated Apply(int ordinal, Random random)
    {
        var shape = paths.PropertyShapes[(ordinal + offset) % paths.PropertyShapes.Count];
        var (seed, at) = paths.Holder(shape, random);
        var work = Workpiece.Of(seeds[seed]);
        var location = work.Locations[at];
        ((JsonObject)location.Parent!).Remove(location.Property!);
        return new Mutated(work.Seed, $"deleted {location.Path}", RawSplice.Write(work.Json));
    }
}
