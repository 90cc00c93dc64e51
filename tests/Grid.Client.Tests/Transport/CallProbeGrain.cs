using Grid.Runtime;

namespace Grid.Client.Tests.Transport;

[GrainType(TypeName)]
public sealed class CallProbeGrain(CallProbeGate gate) : Grain, ICallProbeGrain
{
    public const string TypeName = "callprobe";

    public Task<string> Echo(string text)
    {
        gate.CountEcho();
        return Task.FromResult($"{GrainId.Key}:{text}");
    }

    public async Task<string> WaitForGate()
    {
        gate.Entered.TrySetResult();
        await gate.Opened.Task;
        return "through";
    }
}
