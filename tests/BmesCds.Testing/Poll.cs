namespace BmesCds.Testing;

/// <summary>Waiting for a condition with a deadline, instead of a fixed sleep.</summary>
public static class Poll
{
    /// <summary>True as soon as <paramref name="condition"/> holds; false when <paramref name="within"/> passes first.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return true;
    }
}
