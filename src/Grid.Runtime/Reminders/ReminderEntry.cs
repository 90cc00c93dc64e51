namespace Grid.Runtime.Reminders;

/// <summary>A durable reminder: first due at <see cref="StartAt"/>, then every <see cref="Period"/>.</summary>
public sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period);
