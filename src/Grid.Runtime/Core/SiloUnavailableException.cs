namespace Grid.Runtime;

/// <summary>The silo cannot take the call now (shutting down, or at its activation limit). Retryable elsewhere or later.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);
