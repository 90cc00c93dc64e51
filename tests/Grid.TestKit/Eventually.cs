namespace Grid.TestKit;

/// <summary>Waits for a condition instead of sleeping a guessed time.</summary>
public static class Eventually
{
    /// <summary>Generous: it costs nothing when the condition comes true, and a loaded CI machine can be slow.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, within);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultPatience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
