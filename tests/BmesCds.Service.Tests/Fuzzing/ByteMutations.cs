namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>Damages the raw bytes of a seed: one to eight bits flipped or bytes replaced, inserted or removed.</summary>
public sealed class ByteFlip(IReadOnlyList<FuzzSeed> seeds) : IMutation
{
    public MutationKind Kind => MutationKind.ByteFlip;

    public Mutated Apply(int ordinal, Random random)
    {
        var seed = seeds[random.Next(seeds.Count)];
        var body = new List<byte>(seed.Bytes);
        var edits = new List<string>();
        for (var n = random.Next(1, 9); n > 0 && body.Count > 0; n--)
        {
            var at = random.Next(body.Count);
            switch (random.Next(4))
            {
                case 0:
                    var bit = random.Next(8);
                    body[at] ^= (byte)(1 << bit);
                    edits.Add($"bit {bit} of byte {at} flipped");
                    break;
                case 1:
                    var value = (byte)random.Next(256);
                    body[at] = value;
                    edits.Add($"byte {at} = 0x{value:X2}");
                    break;
                case 2:
                    var inserted = (byte)random.Next(256);
                    body.Insert(at, inserted);
                    edits.Add($"0x{inserted:X2} inserted at {at}");
                    break;
                default:
                    body.RemoveAt(at);
                    edits.Add($"byte {at} removed");
                    break;
            }
        }

        return new Mutated(seed, string.Join(", ", edits), [.. body]);
    }
}

/// <summary>Cuts a seed's bytes short, anywhere from the empty body to one byte short of the whole.</summary>
public sealed class Truncation(IReadOnlyList<FuzzSeed> seeds) : IMutation
{
    public MutationKind Kind => MutationKind.Truncation;

    public Mutated Apply(int ordinal, Random random)
    {
        var seed = seeds[random.Next(seeds.Count)];
        var length = random.Next(seed.Bytes.Length);
        return new Mutated(seed, $"cut to {length} of {seed.Bytes.Length} bytes", seed.Bytes[..length]);
    }
}
