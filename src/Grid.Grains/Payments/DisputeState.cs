namespace Grid.Grains.Payments;

/// <summary>Where one dispute of a payment stands; it moves only from open to won or lost.</summary>
internal enum DisputeState
{
    Open,
    Won,
    Lost,
}
