using System.Globalization;
using System.Numerics;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// How much to fuzz, from the environment: <c>BMES_FUZZ_INPUTS</c> (default 20,000, what CI runs),
/// <c>BMES_FUZZ_SEED</c> (default a fixed seed, so every run sends the same inputs) and <c>BMES_FUZZ_INDEX</c> (replay
/// one input of the run, as a failure names it).
/// </summary>
public sealed record FuzzSettings(int Inputs, ulong Seed, int? OnlyIndex)
{
    public const int DefaultInputs = 20_000;

    public const ulong DefaultSeed = 20261201;

    public static FuzzSettings FromEnvironment() => new(
        Number("BMES_FUZZ_INPUTS", DefaultInputs),
        (ulong)Number("BMES_FUZZ_SEED", (long)DefaultSeed),
        Environment.GetEnvironmentVariable("BMES_FUZZ_INDEX") is { Length: > 0 } ? (int)Number("BMES_FUZZ_INDEX", 0) : null);

    /// <summary>The input indexes this run sends.</summary>
    public IEnumerable<int> Indexes() => OnlyIndex is { } only ? [only] : Enumerable.Range(0, Inputs);

    /// <summary>The environment that replays input <paramref name="index"/> of this run.</summary>
    public string ReplayCommand(int index) =>
        $"BMES_FUZZ_SEED={Seed} BMES_FUZZ_INDEX={index} dotnet test tests/BmesCds.Service.Tests -c Release --filter \"FullyQualifiedName~HookFuzzTests\"";

    private static T Number<T>(string name, T fallback)
        where T : IParsable<T>, IComparable<T>, INumber<T>
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return T.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture, out var value) && value >= T.Zero
            ? value
            : throw new InvalidOperationException($"{name} must be a whole number of at least 0 (got '{text}').");
    }
}
