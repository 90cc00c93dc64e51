namespace Grid.Runtime;

/// <summary>
/// Implemented by grains that use durable reminders. A reminder fires again every period until the
/// grain unregisters it, so a handler that fails is simply called again.
/// </summary>
public interface IRemindable
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}
