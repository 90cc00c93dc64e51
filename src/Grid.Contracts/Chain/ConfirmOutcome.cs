namespace Grid.Contracts.Chain;

/// <summary>What a payment did with a confirmed deposit.</summary>
public enum ConfirmOutcome
{
    /// <summary>Credited now, or credited before (a replay).</summary>
    Credited,

    /// <summary>Not yet: the credit rate could not be read (a stale price feed). The watcher asks again.</summary>
    Retry,

    /// <summary>Recorded but never credited: it needs a person (worth less than one credit, or an account that refuses it).</summary>
    Review,
}
