using Grid.Contracts.Sessions;

namespace Grid.Gateway.Sessions;

/// <summary>A session's payout steps set aside for a person.</summary>
internal sealed record ParkedStepsResponse(string SessionId, IReadOnlyList<ParkedStepResponse> Steps)
{
    public static ParkedStepsResponse From(string sessionId, IReadOnlyList<ParkedStepView> steps) =>
        new(sessionId, [.. steps.Select(s => new ParkedStepResponse(s.OperationId, s.Kind, s.AccountId, s.Amount))]);
}
