using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey
{
    Task Arm(string name, TimeSpan dueTime, TimeSpan period);

    Task Disarm(string name);
}
