using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Grid.Gateway.Hosting;

/// <summary>
/// Files embedded in this assembly under one manifest-name prefix (the project file gives it), read once at start.
/// Nothing comes from disk or a CDN, so the pages work wherever the silo runs, offline included.
/// </summary>
public abstract class EmbeddedAssets
{
    private readonly FrozenDictionary<string, EmbeddedAsset> _assets;

    protected EmbeddedAssets(string resourcePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourcePrefix);
        var assembly = typeof(EmbeddedAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[resourcePrefix.Length..]))
            .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The file of that name, or null for a name that is not one of them.</summary>
    public EmbeddedAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static EmbeddedAsset Load(Assembly assembly, string resource, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is listed but cannot be opened.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        return new EmbeddedAsset(name, content, ContentTypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
