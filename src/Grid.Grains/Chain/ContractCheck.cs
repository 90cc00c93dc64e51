namespace Grid.Grains.Chain;

/// <summary>What <see cref="ConfiguredContracts"/> found: disagreements with the configuration, and what it could not check.</summary>
internal sealed record ContractCheck(IReadOnlyList<string> Mismatches, IReadOnlyList<string> Unverified);
