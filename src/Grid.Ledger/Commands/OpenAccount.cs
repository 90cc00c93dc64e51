using Grid.Ledger.Accounts;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>Opens the account (once: opening an open account is <c>already_exists</c>).</summary>
public sealed record OpenAccount(string? Name = null, bool Guest = false, long OverdraftLimit = 0, long? AutoReloadThreshold = null)
    : LedgerCommand(OperationIds.ForOpen())
{
    public const int MaxNameLength = 200;

    public AccountSettings Settings => AccountSettings.Default with { OverdraftLimit = OverdraftLimit, AutoReloadThreshold = AutoReloadThreshold };

    public override void Validate()
    {
        RequireText(Name, MaxNameLength, "name");
        ChangeSettings.ValidateSettings(OverdraftLimit, AccountSettings.DefaultMaxOpenHolds, AutoReloadThreshold);
    }

    public override string ToRequest() =>
        CanonicalRequest.Build(("name", Name), ("guest", Guest ? "true" : "false"), ("overdraftLimit", Text(OverdraftLimit)), ("autoReloadThreshold", AutoReloadThreshold is { } t ? Text(t) : null));

    internal static LedgerException AlreadyExists(string accountId) =>
        new(LedgerErrorCodes.AlreadyExists, $"Account {accountId} already exists.", "id");
}
