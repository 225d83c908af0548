namespace BmesCds.Testing;

/// <summary>A clock stopped at one instant, so that golden answers do not drift with the calendar.</summary>
public sealed class SampleClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The instant every sample and golden answer is written against.</summary>
    public static DateTimeOffset SampleNow { get; } = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public SampleClock()
        : this(SampleNow)
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}
