using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/tokens.</summary>
internal sealed record IssueGuestTokenRequest
{
    [Description("read, or read and charge (the default).")]
    [MinLength(1)]
    public IReadOnlyList<GuestScope>? Scopes { get; init; }

    [Description("How long the token lives; 3600 when absent, 86400 at most.")]
    [Range(1, 86_400)]
    public long? ExpiresInSeconds { get; init; }
}
