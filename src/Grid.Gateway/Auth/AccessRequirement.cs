namespace Grid.Gateway.Auth;

/// <summary>
/// Endpoint metadata: what a route needs. <see cref="OperatorOnly"/> routes take only the configured admin key;
/// the others take it or a key of the route's account (route value "id") holding <see cref="Scope"/>.
/// <see cref="Settles"/> routes say what work cost (capture or void a hold, complete or fail a cast, start a session at
/// its price, report or end its usage): an end user's token is refused there, whatever its scope, because the end user
/// did not run the work.
/// </summary>
public sealed record AccessRequirement(ApiScope Scope, bool OperatorOnly, bool Settles = false);
