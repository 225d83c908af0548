using System.Globalization;

namespace BmesCds.Service.Hosting;

/// <summary>
/// The clinical "now": the instant the rules' time windows count back from. Normally the system clock;
/// `Clock:FixedUtcNow` pins it, so that the samples (written for 2026-11-28T12:00:00Z) can be replayed against a
/// running instance with identical answers. Security checks (JWT lifetimes) always use the real clock.
/// </summary>
public sealed class ClinicalClock(TimeProvider time)
{
    public DateTimeOffset UtcNow => time.GetUtcNow();

    public static ClinicalClock From(IConfiguration configuration) => new(ServiceClock.From(configuration));
}

/// <summary>Reads `Clock:FixedUtcNow`.</summary>
public static class ServiceClock
{
    public static TimeProvider From(IConfiguration configuration)
    {
        var fixedNow = configuration["Clock:FixedUtcNow"];
        if (string.IsNullOrWhiteSpace(fixedNow))
        {
            return TimeProvider.System;
        }

        return DateTimeOffset.TryParse(fixedNow, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? new FixedClock(instant.ToUniversalTime())
            : throw new StartupConfigurationException($"Clock:FixedUtcNow '{fixedNow}' is not a date-time (e.g. 2026-11-28T12:00:00Z).");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
