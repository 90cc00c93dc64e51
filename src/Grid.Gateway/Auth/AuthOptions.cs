namespace Grid.Gateway.Auth;

/// <summary>Gateway auth settings (configuration section Grid:Auth).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Grid:Auth";

    /// <summary>The admin bearer token. Unset: every admin route is refused.</summary>
    public string? AdminKey { get; set; }
}
