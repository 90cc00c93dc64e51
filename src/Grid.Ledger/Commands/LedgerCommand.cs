using System.Text.Json.Serialization;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>
/// A change to one account, identified by an operation id the caller chose. Sending it again with the
/// same arguments returns the first result; with other arguments it is an idempotency conflict. Crosses
/// silos as JSON with a "command" discriminator.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "command")]
[JsonDerivedType(typeof(OpenAccount), "open")]
[JsonDerivedType(typeof(Deposit), "deposit")]
[JsonDerivedType(typeof(Debit), "debit")]
[JsonDerivedType(typeof(Refund), "refund")]
[JsonDerivedType(typeof(Reverse), "reverse")]
[JsonDerivedType(typeof(Adjust), "adjust")]
[JsonDerivedType(typeof(PlaceHold), "hold")]
[JsonDerivedType(typeof(CaptureHold), "capture")]
[JsonDerivedType(typeof(VoidHold), "void")]
[JsonDerivedType(typeof(FreezeAccount), "freeze")]
[JsonDerivedType(typeof(UnfreezeAccount), "unfreeze")]
[JsonDerivedType(typeof(CloseAccount), "close")]
[JsonDerivedType(typeof(ChangeSettings), "settings")]
public abstract record LedgerCommand(string OperationId)
{
    public const int MaxReferenceLength = 256;
    public const int MaxMetadataLength = 4_096;

    /// <summary>The arguments in canonical form (see <see cref="CanonicalRequest"/>).</summary>
    public abstract string ToRequest();

    /// <summary>Refuses malformed arguments before anything is looked at.</summary>
    public virtual void Validate() => OperationIds.Require(OperationId, "operationId");

    protected static void RequireText(string? value, int maxLength, string field)
    {
        if (value is { Length: var length } && (length == 0 || length > maxLength))
        {
            throw LedgerException.Invalid(field, $"{field} must be 1 to {maxLength} characters when given.");
        }

        if (value is not null && !StorableText.IsStorable(value))
        {
            // A store that refused it would read as a failure to retry for ever.
            throw LedgerException.Invalid(field, $"{field} must not contain NUL characters or unpaired UTF-16 surrogates.");
        }
    }

    protected static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
