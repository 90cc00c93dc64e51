using Grid.Gateway.Hosting;

namespace Grid.Gateway.App;

/// <summary>
/// The credits page's files, embedded in this assembly (App/*.html, *.css, *.js and the JavaScript client from
/// clients/js/src, linked, not copied).
/// </summary>
internal sealed class AppAssets() : EmbeddedAssets(ResourcePrefix)
{
    /// <summary>The manifest name prefix the project file gives every asset.</summary>
    public const string ResourcePrefix = "Grid.Gateway.App.";

    public const string IndexName = "index.html";
}
