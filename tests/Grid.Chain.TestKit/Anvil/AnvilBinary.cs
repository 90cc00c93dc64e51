using System.Runtime.InteropServices;
using Grid.TestKit;

namespace Grid.Chain.TestKit.Anvil;

/// <summary>
/// Finds the native anvil binary that npm installed in tests/oracles. tests/oracles depends on the platform package
/// (<c>@foundry-rs/anvil-linux-amd64</c>, the CI machine's) rather than the <c>@foundry-rs/anvil</c> launcher: the
/// registry this project installs from holds no other platform's package, and <c>npm ci</c> refuses a lock file that
/// lists the launcher's optional platforms without them. Running the binary itself also leaves one process to signal
/// and to wait for.
/// </summary>
public static class AnvilBinary
{
    /// <summary>The anvil binary under <paramref name="oraclesDirectory"/> (null: the usual tests/oracles); fails saying what to run when it is missing.</summary>
    public static string Find(string? oraclesDirectory = null)
    {
        var platformPackage = PlatformPackage();
        string[] packages = [platformPackage];
        var directory = oraclesDirectory is null
            ? NodeOracle.FindOraclesDirectory(packages)
            : NodeOracle.RequirePackages(oraclesDirectory, packages);
        var binary = Path.Combine(directory, "node_modules", platformPackage, "bin", OperatingSystem.IsWindows() ? "anvil.exe" : "anvil");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"The anvil binary {binary} is missing: run `npm ci` in {directory}, or bash tests/run.sh.");
        }

        return binary;
    }

    // Foundry's names for its per-platform npm packages.
    private static string PlatformPackage()
    {
        var os = OperatingSystem.IsLinux() ? "linux"
            : OperatingSystem.IsMacOS() ? "darwin"
            : OperatingSystem.IsWindows() ? "win32"
            : throw new PlatformNotSupportedException("Anvil's npm package has binaries for Linux, macOS and Windows only.");
        var architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => throw new PlatformNotSupportedException($"Anvil's npm package has no binary for {other}."),
        };
        return $"@foundry-rs/anvil-{os}-{architecture}";
    }
}
