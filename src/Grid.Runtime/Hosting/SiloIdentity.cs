namespace Grid.Runtime.Hosting;

/// <summary>Who this silo is: a fresh id per process start, an operator-chosen name, and when it started.</summary>
public sealed record SiloIdentity(string Id, string Name, DateTimeOffset StartedAt)
{
    public static SiloIdentity Create(string? name, TimeProvider time)
    {
        var id = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        return new SiloIdentity(id, string.IsNullOrWhiteSpace(name) ? id : name.Trim(), time.GetUtcNow());
    }
}
