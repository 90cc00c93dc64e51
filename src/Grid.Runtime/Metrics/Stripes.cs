namespace Grid.Runtime.Metrics;

/// <summary>How many cells striped counters use, and which one the current core writes.</summary>
internal static class Stripes
{
    public static readonly int Count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));

    public static int Current => Thread.GetCurrentProcessorId() & (Count - 1);
}
