using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Auth;

/// <summary>Declares what a route needs; <see cref="AccessFilter"/> enforces it.</summary>
internal static class AccessEndpointExtensions
{
    /// <summary>The configured admin key only.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRequirement(ApiScope.Admin, OperatorOnly: true));

    /// <summary>The admin key, or a key of the route's account ("id") holding <paramref name="scope"/> or more.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRequirement(scope, OperatorOnly: false));

    /// <summary>
    /// The admin key, or an account key (never an end user's guest or wallet token) of the route's account holding
    /// <c>charge</c>: routes that say what work cost.
    /// </summary>
    public static TBuilder RequireSettler<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AccessRequirements.Settler);

    /// <summary>Checks every route of the group (and defaults them to the operator's).</summary>
    public static RouteGroupBuilder RequireAccess(this RouteGroupBuilder group) => group.AddEndpointFilter<AccessFilter>().RequireOperator();
}
