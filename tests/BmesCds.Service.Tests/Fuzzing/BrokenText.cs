namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Puts text into a string or a property name that must not pass the door: a lone UTF-16 surrogate escape
/// (<see cref="MutationKind.LoneSurrogate"/>) or bytes that are not UTF-8 (<see cref="MutationKind.InvalidUtf8"/>).
/// </summary>
public sealed class BrokenText(IReadOnlyList<FuzzSeed> seeds, MutationKind kind) : IMutation
{
    private static readonly (string Name, byte[] Bytes)[] LoneSurrogates =
    [
        ("\\ud800", "\\ud800"u8.ToArray()),
        ("\\udc00", "\\udc00"u8.ToArray()),
        ("\\uDBFF\\u0041", "\\uDBFF\\u0041"u8.ToArray()),
        ("\\udfff\\ud800", "\\udfff\\ud800"u8.ToArray()),
        ("\\ud800\\ud800", "\\ud800\\ud800"u8.ToArray()),
    ];

    private static readonly (string Name, byte[] Bytes)[] NotUtf8 =
    [
        ("FF", [0xFF]),
        ("C3 28 (bad continuation)", [0xC3, 0x28]),
        ("ED A0 80 (encoded surrogate)", [0xED, 0xA0, 0x80]),
        ("C0 AF (overlong)", [0xC0, 0xAF]),
        ("F4 90 80 80 (above U+10FFFF)", [0xF4, 0x90, 0x80, 0x80]),
        ("E2 82 (cut short)", [0xE2, 0x82]),
        ("80 (lone continuation)", [0x80]),
        ("FE FF", [0xFE, 0xFF]),
    ];

    public MutationKind Kind => kind;

    public Mutated Apply(int ordinal, Random random)
    {
        var target = StringTarget.Pick(seeds, random);
        target.Mark(random, insert: true);
        var choices = kind == MutationKind.LoneSurrogate ? LoneSurrogates : NotUtf8;
        var (name, bytes) = choices[random.Next(choices.Length)];
        return new Mutated(target.Work.Seed, target.Describe($"with {name}"), RawSplice.ReplaceInString(target.Work.Json, bytes));
    }
}
