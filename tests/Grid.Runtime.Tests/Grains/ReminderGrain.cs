using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

internal sealed class ReminderGrain(ReminderLog log) : Grain, IReminderGrain, IRemindable
{
    public Task Arm(string name, TimeSpan dueTime, TimeSpan period) => Context.RegisterOrUpdateReminderAsync(name, dueTime, period);

    public Task Disarm(string name) => Context.UnregisterReminderAsync(name);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        log.Ticked(GrainId, reminderName, status);
        return Task.CompletedTask;
    }
}
