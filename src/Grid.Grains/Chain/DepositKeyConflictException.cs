namespace Grid.Grains.Chain;

/// <summary>
/// A deposit the scan found has the key of one the watcher follows, but is another deposit: another token, payer,
/// amount or ref. A deposit's key counts the grid's logs in its transaction, so it names another log once the listed
/// tokens change while such a transaction is followed. Credited under the key, either deposit would be taken for the
/// other, and credited twice or not at all; the scan stops instead, with nothing changed, until a person decides.
/// </summary>
public sealed class DepositKeyConflictException(string message) : Exception(message);
