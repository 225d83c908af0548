namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// The random source of one fuzz input, from the run's seed and the input's index alone: any input can be rebuilt on
/// its own, whatever ran before it and however many requests ran at once. (HashCode is salted per process, so the
/// two numbers are mixed with SplitMix64 instead.)
/// </summary>
public static class InputRandom
{
    public static Random For(ulong seed, int index) => new((int)(Mix(seed ^ Mix((ulong)index + 0x9E3779B97F4A7C15)) & int.MaxValue));

    /// <summary>SplitMix64's finaliser: every bit of the input moves about half the bits of the output.</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EB;
        return value ^ (value >> 31);
    }
}
