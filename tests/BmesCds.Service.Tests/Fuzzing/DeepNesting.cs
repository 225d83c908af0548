using System.Text;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Replaces a value by arrays, objects or both nested so that the body reaches a chosen depth: just under the depth
/// limit, at it, just over it, and far beyond (where a recursive reader would overflow its stack).
/// </summary>
public sealed class DeepNesting(IReadOnlyList<FuzzSeed> seeds, int maxJsonDepth) : IMutation
{
    public MutationKind Kind => MutationKind.DeepNesting;

    public Mutated Apply(int ordinal, Random random)
    {
        var work = Workpiece.OfAny(seeds, random);
        var location = work.Pick(random, location => !location.IsRoot)!;
        int[] depths = [maxJsonDepth - 2, maxJsonDepth - 1, maxJsonDepth, maxJsonDepth + 1, maxJsonDepth + 2, 200, 5_000, 100_000];
        var depth = depths[random.Next(depths.Length)];
        var levels = Math.Max(1, depth - location.Depth);
        var style = random.Next(3);
        var raw = Nested(levels, style);
        location.Replace(RawSplice.Marker);
        var described = style switch { 0 => "arrays", 1 => "objects", _ => "arrays and objects" };
        return new Mutated(work.Seed, $"{location.Path} -> {levels} levels of {described} (body depth {location.Depth + levels})", RawSplice.ReplaceValue(work.Json, raw));
    }

    private static byte[] Nested(int levels, int style)
    {
        var text = new StringBuilder(levels * 6);
        for (var i = 0; i < levels; i++)
        {
            text.Append(IsArray(style, i) ? "[" : "{\"a\":");
        }

        text.Append('1');
        for (var i = levels - 1; i >= 0; i--)
        {
            text.Append(IsArray(style, i) ? ']' : '}');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static bool IsArray(int style, int level) => style == 0 || (style == 2 && level % 2 == 0);
}
