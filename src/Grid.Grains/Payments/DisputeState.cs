namespace Grid.Grains.Payments;

/// <summary>Where one dispute of a payment stands; it moves only from open to won or lost.</summary>
internal enum DisputeState
{
    Open,
    Won,
    Lost,

    /// <summary>
    /// Lost after refunds had already taken back what the loss would take past the credits (a refund made while the
    /// dispute was open): the customer got the money back twice, the account gave the credits back once. Its hold is
    /// released, nothing more is taken, and a person is told.
    /// </summary>
    LostAfterRefund,
}
