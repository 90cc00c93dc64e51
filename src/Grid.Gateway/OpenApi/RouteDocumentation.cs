using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// What the document says of the two kinds of ledger route. Their handlers read bodies by hand and answer with
/// <see cref="IResult"/>s, so the request and response types are declared here for the document alone.
/// </summary>
internal static class RouteDocumentation
{
    /// <summary>A command: a JSON body of <typeparamref name="TRequest"/>, answered by <typeparamref name="TResponse"/> or a refusal.</summary>
    /// <param name="spends">It may take more than is available (402 insufficient_funds, or negative_balance).</param>
    public static RouteHandlerBuilder DescribesCommand<TRequest, TResponse>(
        this RouteHandlerBuilder builder, int status = StatusCodes.Status200OK, bool spends = false, bool optionalBody = false)
    {
        builder.DescribesBody<TRequest>(optionalBody)
            .Produces<TResponse>(status)
            .ProducesProblems(
                StatusCodes.Status400BadRequest,
                StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict,
                StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status503ServiceUnavailable);
        return spends ? builder.ProducesProblems(StatusCodes.Status402PaymentRequired) : builder;
    }

    /// <summary>A read of an account: <typeparamref name="TResponse"/>, or 400 for a malformed id or query.</summary>
    public static RouteHandlerBuilder DescribesRead<TResponse>(this RouteHandlerBuilder builder) =>
        builder.Produces<TResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status503ServiceUnavailable);
}
