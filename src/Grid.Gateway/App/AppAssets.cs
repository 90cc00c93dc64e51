using System.Reflection;
using System.Security.Cryptography;

namespace Grid.Gateway.App;

/// <summary>
/// The credits page's files, embedded in this assembly (App/*.html, *.css, *.js and the JavaScript client from
/// clients/js/src, linked, not copied), read once at start. Nothing comes from disk or a CDN, so the page works
/// wherever the silo runs, offline included.
/// </summary>
internal sealed class AppAssets
{
    /// <summary>The manifest name prefix the project file gives every asset.</summary>
    public const string ResourcePrefix = "Grid.Gateway.App.";

    public const string IndexName = "index.html";

    private readonly IReadOnlyDictionary<string, AppAsset> _assets;

    public AppAssets()
    {
        var assembly = typeof(AppAssets).Assembly;
        var assets = new Dictionary<string, AppAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (ContentTypeOf(name) is { } contentType)
            {
                var content = Read(assembly, resource);
                assets[name] = new AppAsset(name, content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
            }
        }

        _assets = assets;
    }

    public AppAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static string? ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        _ => null,
    };

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is listed but cannot be opened.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
