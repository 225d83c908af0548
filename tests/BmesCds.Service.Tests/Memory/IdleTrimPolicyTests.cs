using BmesCds.Service.Memory;

namespace BmesCds.Service.Tests.Memory;

/// <summary>When the service gives memory back: at the first quiet interval after a burst, never under load.</summary>
public sealed class IdleTrimPolicyTests
{
    private const long MB = 1024 * 1024;

    [Test]
    public void A_burst_followed_by_a_quiet_interval_trims_once()
    {
        var policy = new IdleTrimPolicy();

        Assert.That(policy.ShouldTrim(100 * MB), Is.False, "still allocating");
        Assert.That(policy.ShouldTrim(300 * MB), Is.False, "still allocating");
        Assert.That(policy.ShouldTrim(301 * MB), Is.True, "quiet after 300 MB");
        Assert.That(policy.ShouldTrim(302 * MB), Is.False, "nothing new to give back");
        Assert.That(policy.ShouldTrim(303 * MB), Is.False);
    }

    [Test]
    public void Steady_load_never_trims()
    {
        var policy = new IdleTrimPolicy();
        var allocated = 0L;
        for (var interval = 0; interval < 1000; interval++)
        {
            allocated += 50 * MB; // 300 C1 calls a second for 5 s allocate about 54 MB

            Assert.That(policy.ShouldTrim(allocated), Is.False, $"interval {interval}");
        }

        Assert.That(policy.ShouldTrim(allocated + MB), Is.True, "the load is over");
    }

    [Test]
    public void Quiet_intervals_without_a_burst_before_them_do_not_trim()
    {
        var policy = new IdleTrimPolicy();
        var allocated = 0L;
        for (var interval = 0; interval < 60; interval++)
        {
            allocated += 3 * MB; // probes, scrapes and a few calls

            Assert.That(policy.ShouldTrim(allocated), Is.False, $"interval {interval}");
        }
    }

    [Test]
    public void A_trickle_of_calls_trims_once_per_burst_worth_of_allocation()
    {
        var policy = new IdleTrimPolicy();
        var trims = 0;
        var allocated = 0L;
        for (var interval = 0; interval < 1000; interval++)
        {
            allocated += 2 * MB;
            trims += policy.ShouldTrim(allocated) ? 1 : 0;
        }

        Assert.That(trims, Is.EqualTo(2000 * MB / IdleTrimPolicy.BurstBytes));
    }

    [Test]
    public void The_start_counts_as_a_burst()
    {
        var policy = new IdleTrimPolicy();

        // The first sample covers everything allocated since the process started (the validator's warm-up included).
        Assert.That(policy.ShouldTrim(IdleTrimPolicy.BurstBytes), Is.False, "the start itself is not quiet");
        Assert.That(policy.ShouldTrim(IdleTrimPolicy.BurstBytes + MB), Is.True);
    }
}
