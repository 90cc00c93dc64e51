using System.Globalization;
using Grid.Ledger.Errors;
using Grid.Runtime.Transport;

namespace Grid.Contracts.Accounts;

/// <summary>A refused ledger command reaches a caller on another silo as the same <see cref="LedgerException"/>: code, field and amounts.</summary>
public sealed class LedgerExceptionCodec : IRemoteExceptionCodec
{
    private const string Type = "ledger.refused";

    public RemoteError? Encode(Exception error) => error is LedgerException refused
        ? new RemoteError(Type, refused.Message, new Dictionary<string, string?>
        {
            ["code"] = refused.Code,
            ["field"] = refused.Field,
            ["available"] = refused.Available?.ToString(CultureInfo.InvariantCulture),
            ["required"] = refused.Required?.ToString(CultureInfo.InvariantCulture),
        })
        : null;

    public Exception? Decode(RemoteError error)
    {
        if (error.Type != Type || error.Data?.GetValueOrDefault("code") is not { } code)
        {
            return null;
        }

        return new LedgerException(code, error.Message, error.Data.GetValueOrDefault("field"))
        {
            Available = Number(error, "available"),
            Required = Number(error, "required"),
        };
    }

    private static long? Number(RemoteError error, string name) =>
        error.Data?.GetValueOrDefault(name) is { } text ? long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
}
