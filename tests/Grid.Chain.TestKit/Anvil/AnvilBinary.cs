using System.Runtime.InteropServices;
using Grid.TestKit;

namespace Grid.Chain.TestKit.Anvil;

/// <summary>
/// Finds the native anvil binary that npm installed in tests/oracles. The package's node_modules/.bin/anvil is a node
/// script that starts this binary as its child; running the binary itself leaves one process to signal and to wait for.
/// </summary>
public static class AnvilBinary
{
    /// <summary>The anvil binary under <paramref name="oraclesDirectory"/> (null: the usual tests/oracles); fails saying what to run when it is missing.</summary>
    public static string Find(string? oraclesDirectory = null)
    {
        var platformPackage = PlatformPackage();
        string[] packages = ["@foundry-rs/anvil", platformPackage];
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

    // The same package names @foundry-rs/anvil's own launcher picks from.
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
