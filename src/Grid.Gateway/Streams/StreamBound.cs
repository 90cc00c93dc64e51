namespace Grid.Gateway.Streams;

/// <summary>Which bound of <see cref="StreamOptions"/> refused a stream.</summary>
public enum StreamBound
{
    None,

    /// <summary><see cref="StreamOptions.MaxStreams"/>: the silo is full (503).</summary>
    Silo,

    /// <summary><see cref="StreamOptions.MaxEndUserStreams"/>: the silo's share for end users' tokens is full (503).</summary>
    EndUsers,

    /// <summary><see cref="StreamOptions.MaxPerAccount"/> (429).</summary>
    Account,

    /// <summary><see cref="StreamOptions.MaxPerEndUserAddress"/> (429).</summary>
    Address,
}
