using System.Globalization;
using Grid.Ledger.Commands;

namespace Grid.Ledger.Tests.Model;

public enum ModelOpKind
{
    Open,
    Deposit,
    Debit,
    Refund,
    Reverse,
    Adjust,
    Hold,
    Capture,
    Void,
    Freeze,
    Unfreeze,
    Close,
    Settings,
}

/// <summary>
/// A command as the reference model sees it: plain data, translated to a ledger command only for the ledger
/// side. Fields that a kind does not use are left at their defaults.
/// </summary>
public sealed record ModelOp(
    ModelOpKind Kind,
    string OperationId,
    long Amount = 0,
    string? Reference = null,
    string? Metadata = null,
    string? HoldId = null,
    bool Final = true,
    int? ExpiresInSeconds = null,
    string? Reason = null,
    long OverdraftLimit = 0,
    int MaxOpenHolds = 1_000,
    long? AutoReloadThreshold = null,
    bool Forced = false)
{
    public LedgerCommand ToLedger() => Kind switch
    {
        ModelOpKind.Open => new OpenAccount(null, false, OverdraftLimit, AutoReloadThreshold),
        ModelOpKind.Deposit => new Deposit(OperationId, Amount, Reference, Metadata),
        ModelOpKind.Debit => new Debit(OperationId, Amount, Reference, Metadata),
        ModelOpKind.Refund => new Refund(OperationId, Amount, Reference, Metadata),
        ModelOpKind.Reverse => new Reverse(OperationId, Amount, Reference, Metadata),
        ModelOpKind.Adjust => new Adjust(OperationId, Amount, Reason ?? ""),
        ModelOpKind.Hold => new PlaceHold(OperationId, Amount, ExpiresInSeconds is { } s ? TimeSpan.FromSeconds(s) : null, Reference, Forced),
        ModelOpKind.Capture => new CaptureHold(OperationId, HoldId ?? "", Amount, Final),
        ModelOpKind.Void => new VoidHold(OperationId, HoldId ?? ""),
        ModelOpKind.Freeze => new FreezeAccount(OperationId, Reason),
        ModelOpKind.Unfreeze => new UnfreezeAccount(OperationId),
        ModelOpKind.Close => new CloseAccount(OperationId),
        ModelOpKind.Settings => new ChangeSettings(OperationId, OverdraftLimit, MaxOpenHolds, AutoReloadThreshold),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    public override string ToString()
    {
        var text = Kind switch
        {
            ModelOpKind.Open => $"open overdraft={OverdraftLimit} reload={Show(AutoReloadThreshold)}",
            ModelOpKind.Deposit or ModelOpKind.Debit or ModelOpKind.Refund or ModelOpKind.Reverse =>
                $"{Name} {OperationId} amount={Amount} ref={Show(Reference)} meta={Show(Metadata)}",
            ModelOpKind.Adjust => $"adjust {OperationId} amount={Amount} reason={Show(Reason)}",
            ModelOpKind.Hold => $"{(Forced ? "forced hold" : "hold")} {OperationId} amount={Amount} expiresIn={(ExpiresInSeconds is { } s ? $"{s}s" : "-")} ref={Show(Reference)}",
            ModelOpKind.Capture => $"capture {OperationId} hold={Show(HoldId)} amount={Amount} final={Final}",
            ModelOpKind.Void => $"void {OperationId} hold={Show(HoldId)}",
            ModelOpKind.Freeze => $"freeze {OperationId} reason={Show(Reason)}",
            ModelOpKind.Settings => $"settings {OperationId} overdraft={OverdraftLimit} maxHolds={MaxOpenHolds} reload={Show(AutoReloadThreshold)}",
            _ => $"{Name} {OperationId}",
        };
        return text;
    }

    private string Name => Kind.ToString().ToLowerInvariant();

    private static string Show(object? value) => value switch
    {
        null => "-",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };
}
