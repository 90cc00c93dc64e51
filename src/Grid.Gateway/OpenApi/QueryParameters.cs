using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// Query parameters the routes read by hand (so one 400 can name each bad one): the document learns of them here.
/// </summary>
internal static class QueryParameters
{
    /// <summary>Declares the optional integer query parameter <paramref name="name"/> on the route.</summary>
    public static TBuilder WithIntegerQuery<TBuilder>(this TBuilder builder, string name, long minimum, long maximum, long fallback, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Integer(name, minimum, maximum, fallback, description));
            return Task.CompletedTask;
        });

    /// <summary>Declares the required string query parameter <paramref name="name"/> (an id) on the route.</summary>
    public static TBuilder WithIdQuery<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = true,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Requests.FieldRules.IdPattern },
            });
            return Task.CompletedTask;
        });

    /// <summary><c>after</c>: a journal sequence, 0 (the start) by default.</summary>
    public static OpenApiParameter After(string description) => Integer("after", 0, long.MaxValue, 0, description);

    private static OpenApiParameter Integer(string name, long minimum, long maximum, long fallback, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int64",
            Minimum = minimum.ToString(CultureInfo.InvariantCulture),
            Maximum = maximum.ToString(CultureInfo.InvariantCulture),
            Default = System.Text.Json.Nodes.JsonValue.Create(fallback),
        },
    };
}
