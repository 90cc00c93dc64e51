namespace Grid.Contracts.Chain;

/// <summary>What a payment did with a confirmed deposit.</summary>
public enum ConfirmOutcome
{
    /// <summary>Credited now, or credited before (a replay).</summary>
    Credited,

    /// <summary>Not yet: the credit rate could not be read (a stale price feed). The watcher asks again.</summary>
    Retry,

    /// <summary>
    /// Never credited: it needs a person. Recorded on the payment (worth less than one credit, or an account that refuses
    /// it), or only in an ALERT (another deposit under the key of the payment's own).
    /// </summary>
    Review,
}
