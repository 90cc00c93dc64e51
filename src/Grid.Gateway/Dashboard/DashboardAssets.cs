using Grid.Gateway.Hosting;

namespace Grid.Gateway.Dashboard;

/// <summary>The dashboard's files, embedded in this assembly (Dashboard/Assets).</summary>
public sealed class DashboardAssets() : EmbeddedAssets("Grid.Gateway.Dashboard.Assets.")
{
    /// <summary>A page's text (index.html, signin.html).</summary>
    public string Text(string name) =>
        Find(name) is { } file ? System.Text.Encoding.UTF8.GetString(file.Content) : throw new InvalidOperationException($"Dashboard asset {name} is not embedded.");
}
