namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Every path shape of every seed (<c>prefetch.conditions.entry[].resource.code.coding[].system</c>) and the seeds'
/// locations that have it, so that systematic mutations reach every shape instead of the common ones over and over.
/// </summary>
public sealed class PathCatalogue
{
    public PathCatalogue(IReadOnlyList<FuzzSeed> seeds)
    {
        var shapes = new Dictionary<string, List<(int Seed, int Ordinal)>>(StringComparer.Ordinal);
        var properties = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < seeds.Count; s++)
        {
            var locations = JsonLocations.Of(seeds[s].Json);
            for (var o = 0; o < locations.Count; o++)
            {
                var location = locations[o];
                if (!shapes.TryGetValue(location.Shape, out var holders))
                {
                    shapes[location.Shape] = holders = [];
                }

                holders.Add((s, o));
                if (location.Property is not null)
                {
                    properties.Add(location.Shape);
                }
            }
        }

        Shapes = [.. shapes.Keys.Order(StringComparer.Ordinal)];
        PropertyShapes = [.. properties.Order(StringComparer.Ordinal)];
        _holders = shapes;
    }

    private readonly Dictionary<string, List<(int Seed, int Ordinal)>> _holders;

    /// <summary>Every shape, the root (<c>$</c>) included, in a fixed order.</summary>
    public IReadOnlyList<string> Shapes { get; }

    /// <summary>The shapes of object properties (what can be deleted), in a fixed order.</summary>
    public IReadOnlyList<string> PropertyShapes { get; }

    /// <summary>A random location of <paramref name="shape"/>: which seed, and the location's ordinal in it.</summary>
    public (int Seed, int Ordinal) Holder(string shape, Random random)
    {
        var holders = _holders[shape];
        return holders[random.Next(holders.Count)];
    }
}
