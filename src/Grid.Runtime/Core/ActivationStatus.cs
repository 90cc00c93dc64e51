namespace Grid.Runtime.Core;

internal enum ActivationStatus
{
    /// <summary>Reading state and running OnActivateAsync; calls wait.</summary>
    Activating,

    /// <summary>Serving calls.</summary>
    Active,

    /// <summary>Finishing running calls, then OnDeactivateAsync; new calls wait and go to the next activation.</summary>
    Deactivating,

    /// <summary>Gone from the catalog; calls that still reach it are sent to a new activation.</summary>
    Invalid,
}
