using BmesCds.CdsHooks.Json;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Makes input n of a run: its kind from a fixed wheel of 40 slots (the weights below, spread evenly), its content
/// from the kind's mutation with the input's own random source. The same seed and index always give the same bytes.
/// </summary>
public sealed class Mutator
{
    /// <summary>Slots per wheel turn of each kind. Type swaps and deletions walk every path shape, so they get the most.</summary>
    public static IReadOnlyDictionary<MutationKind, int> Weights { get; } = new Dictionary<MutationKind, int>
    {
        [MutationKind.TypeSwap] = 10,
        [MutationKind.FieldDeletion] = 4,
        [MutationKind.OddString] = 4,
        [MutationKind.ByteFlip] = 4,
        [MutationKind.LoneSurrogate] = 3,
        [MutationKind.InvalidUtf8] = 3,
        [MutationKind.DuplicateKey] = 3,
        [MutationKind.DeepNesting] = 3,
        [MutationKind.HugeArray] = 3,
        [MutationKind.Truncation] = 2,
        [MutationKind.MediaType] = 1,
    };

    private readonly ulong _seed;
    private readonly Dictionary<MutationKind, IMutation> _mutations;
    private readonly MutationKind[] _wheel;

    public Mutator(ulong seed, IReadOnlyList<FuzzSeed> seeds, RequestLimits limits)
    {
        _seed = seed;
        Paths = new PathCatalogue(seeds);

        // Another run seed starts the systematic walks elsewhere.
        var offset = (int)(InputRandom.Mix(seed) % 1_000_003);
        IMutation[] mutations =
        [
            new FieldDeletion(seeds, Paths, offset),
            new TypeSwap(seeds, Paths, offset),
            new OddString(seeds, limits.MaxStringBytes),
            new BrokenText(seeds, MutationKind.LoneSurrogate),
            new BrokenText(seeds, MutationKind.InvalidUtf8),
            new DuplicateKey(seeds),
            new DeepNesting(seeds, limits.MaxJsonDepth),
            new HugeArray(seeds, limits.MaxBodyBytes),
            new ByteFlip(seeds),
            new Truncation(seeds),
            new MediaType(seeds),
        ];
        _mutations = mutations.ToDictionary(mutation => mutation.Kind);
        _wheel = Spread(Weights);
    }

    public PathCatalogue Paths { get; }

    /// <summary>How many inputs of each kind a run of <paramref name="inputs"/> sends.</summary>
    public IReadOnlyDictionary<MutationKind, int> Plan(int inputs) =>
        Enumerable.Range(0, inputs).GroupBy(KindOf).ToDictionary(group => group.Key, group => group.Count());

    public MutationKind KindOf(int index) => _wheel[index % _wheel.Length];

    public FuzzInput Create(int index)
    {
        var kind = KindOf(index);
        var slot = index % _wheel.Length;
        var ordinal = (index / _wheel.Length * Weights[kind]) + _wheel.AsSpan(0, slot).Count(kind);
        var mutated = _mutations[kind].Apply(ordinal, InputRandom.For(_seed, index));
        return new FuzzInput(index, mutated.Seed, kind, mutated.Detail, mutated.Body, mutated.ContentType);
    }

    // Smooth weighted round robin: each slot goes to the kind furthest behind its share, so kinds interleave.
    private static MutationKind[] Spread(IReadOnlyDictionary<MutationKind, int> weights)
    {
        var total = weights.Values.Sum();
        var credit = weights.Keys.ToDictionary(kind => kind, _ => 0);
        var wheel = new MutationKind[total];
        for (var slot = 0; slot < total; slot++)
        {
            foreach (var (kind, weight) in weights)
            {
                credit[kind] += weight;
            }

            var next = credit.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key).First().Key;
            credit[next] -= total;
            wheel[slot] = next;
        }

        return wheel;
    }
}
