namespace Grid.Contracts.Casts;

/// <summary>Starts a cast: <see cref="Quote"/> plus <see cref="BufferPercent"/> (rounded up) is held on the account.</summary>
/// <param name="Timeout">How long the work may run before the hold is voided by the cast's reminder.</param>
/// <param name="Defaulted">The values the silo's configuration filled in for the client.</param>
public sealed record CastStart(
    string CastId, string AccountId, long Quote, int BufferPercent, string? Kind, TimeSpan Timeout, CastStartDefaults Defaulted = CastStartDefaults.None);
