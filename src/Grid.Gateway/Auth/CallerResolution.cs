namespace Grid.Gateway.Auth;

/// <summary>The outcome of reading a request's bearer token: who the caller is (null when nobody valid), and whether a token came at all.</summary>
public sealed record CallerResolution(GridCaller? Caller, bool TokenPresented)
{
    public static CallerResolution Anonymous { get; } = new(null, TokenPresented: false);
}
