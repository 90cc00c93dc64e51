namespace Grid.Gateway.Auth;

/// <summary>
/// Endpoint metadata: what a route needs. <see cref="OperatorOnly"/> routes take only the configured admin key;
/// the others take it or a key of the route's account (route value "id") holding <see cref="Scope"/>.
/// </summary>
public sealed record AccessRequirement(ApiScope Scope, bool OperatorOnly);
