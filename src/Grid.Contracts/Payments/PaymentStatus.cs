namespace Grid.Contracts.Payments;

/// <summary>A payment's status (API.md); shown lower-case with '_' between words.</summary>
public enum PaymentStatus
{
    /// <summary>Recorded; the rail has not been asked yet (or its answer did not arrive).</summary>
    Created,

    /// <summary>The payer has a Checkout page (or an off-session charge is in flight); nothing is paid yet.</summary>
    Pending,

    /// <summary>Seen on chain, waiting for confirmations.</summary>
    Confirming,

    /// <summary>Paid, and the account credited once.</summary>
    Credited,

    Failed,

    Expired,

    /// <summary>Refunded in part or in full; the refunded part is reversed.</summary>
    Refunded,

    /// <summary>A dispute is open; the disputed amount is held on the account.</summary>
    Disputed,

    /// <summary>A dispute was lost, or a chain deposit's credit was reorged away; the amount is reversed.</summary>
    Reversed,

    /// <summary>Money arrived that the grid will not credit by itself (worth less than a credit, or refused by its account): a person decides.</summary>
    Review,
}
