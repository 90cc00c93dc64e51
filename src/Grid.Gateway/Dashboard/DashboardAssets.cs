using System.Collections.Frozen;

namespace Grid.Gateway.Dashboard;

/// <summary>The dashboard's files, embedded in this assembly (Dashboard/Assets) and read once.</summary>
public sealed class DashboardAssets
{
    private const string Prefix = "Grid.Gateway.Dashboard.Assets.";

    private readonly FrozenDictionary<string, (byte[] Content, string ContentType)> _files;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        _files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[Prefix.Length..], n => (Read(assembly, n), ContentTypeOf(n)), StringComparer.Ordinal);
    }

    /// <summary>The file's bytes and content type, or null for a name that is not one of them.</summary>
    public (byte[] Content, string ContentType)? Find(string name) => _files.TryGetValue(name, out var file) ? file : null;

    /// <summary>A page's text (index.html, signin.html).</summary>
    public string Text(string name) =>
        Find(name) is { } file ? System.Text.Encoding.UTF8.GetString(file.Content) : throw new InvalidOperationException($"Dashboard asset {name} is not embedded.");

    private static byte[] Read(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
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
