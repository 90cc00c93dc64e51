namespace Grid.Stripe.Tests.Api.Support;

/// <summary>Runs a call on a <see cref="RecordingClock"/>, moving the clock over the waits the test chooses.</summary>
internal static class ClockDriver
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Awaits <paramref name="call"/>; each time it starts a timer, asks <paramref name="advanceOver"/> whether to
    /// move the clock by that timer's due time (firing it) or leave it.
    /// </summary>
    public static async Task<T> RunAsync<T>(RecordingClock clock, Task<T> call, Func<TimeSpan, Task<bool>> advanceOver)
    {
        using var done = new CancellationTokenSource();
        var next = clock.NextTimerAsync(done.Token).AsTask();
        while (true)
        {
            var first = await Task.WhenAny(call, next).WaitAsync(Patience);
            if (first == call)
            {
                await done.CancelAsync();
                return await call;
            }

            var due = await next;
            if (await advanceOver(due))
            {
                clock.Advance(due);
            }

            next = clock.NextTimerAsync(done.Token).AsTask();
        }
    }
}
