using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>A fresh copy of a seed's tree to mutate, with its locations listed (in the same order as the seed's).</summary>
public sealed class Workpiece
{
    private Workpiece(FuzzSeed seed)
    {
        Seed = seed;
        Json = seed.Json.DeepClone();
        Locations = JsonLocations.Of(Json);
    }

    public FuzzSeed Seed { get; }

    public JsonNode Json { get; }

    public IReadOnlyList<JsonLocation> Locations { get; }

    public static Workpiece Of(FuzzSeed seed) => new(seed);

    public static Workpiece OfAny(IReadOnlyList<FuzzSeed> seeds, Random random) => new(seeds[random.Next(seeds.Count)]);

    /// <summary>A random location that satisfies <paramref name="where"/>, or null when there is none.</summary>
    public JsonLocation? Pick(Random random, Func<JsonLocation, bool> where)
    {
        var candidates = Locations.Where(where).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }
}

/// <summary>What a mutation made: the seed it started from, what it did (for a replay) and the request to send.</summary>
public sealed record Mutated(FuzzSeed Seed, string Detail, byte[] Body, string? ContentType = "application/json");

/// <summary>One kind of mutation.</summary>
public interface IMutation
{
    MutationKind Kind { get; }

    /// <param name="ordinal">How many inputs of this kind came before this one in the run (systematic mutations walk a list with it).</param>
    /// <param name="random">This input's own random source.</param>
    Mutated Apply(int ordinal, Random random);
}
