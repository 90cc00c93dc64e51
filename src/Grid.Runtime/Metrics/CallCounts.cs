namespace Grid.Runtime.Metrics;

/// <summary>
/// One activation's counts of successful calls, a slot per method of its grain type (failures go to the
/// method's shared error counter). The activation bumps a slot with a
/// plain increment while it holds itself exclusively on the fast path (interlocked otherwise), which is
/// far cheaper than a shared counter; <see cref="GrainTypeStats"/> sums the slots of live activations and
/// folds a retiring activation's slots into the shared counters.
/// </summary>
internal sealed class CallCounts(int slots)
{
    public long[] Slots { get; } = new long[slots];

    /// <summary>Set (under the type's retire lock) once the slots were folded into the shared counters.</summary>
    public bool Retired { get; set; }
}
