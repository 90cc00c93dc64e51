using Microsoft.Playwright;

namespace Grid.Browser.Tests.Support;

/// <summary>Saves screenshots as test artifacts in tests/.results/screenshots (gitignored; run.sh keeps it with the results).</summary>
public static class Screenshots
{
    public static string Directory
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Grid.sln")))
            {
                root = root.Parent;
            }

            var directory = Path.Combine(root?.FullName ?? AppContext.BaseDirectory, "tests", ".results", "screenshots");
            System.IO.Directory.CreateDirectory(directory);
            return directory;
        }
    }

    /// <summary>The whole page as <paramref name="name"/>.png; returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
