namespace Grid.Gateway.Auth;

/// <summary>
/// The outcome of reading a request's bearer token: who the caller is (null when nobody valid), whether a token
/// came at all, and whether it went unread because its address had too many wrong keys looked up.
/// </summary>
public sealed record CallerResolution(GridCaller? Caller, bool TokenPresented, bool Throttled = false)
{
    public static CallerResolution Anonymous { get; } = new(null, TokenPresented: false);
}
