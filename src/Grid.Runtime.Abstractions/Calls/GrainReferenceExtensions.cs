namespace Grid.Runtime;

public static class GrainReferenceExtensions
{
    public static GrainId GetGrainId(this IGrain grain) =>
        grain is GrainReference reference
            ? reference.GrainId
            : throw new ArgumentException("Not a grain reference from a grain factory.", nameof(grain));
}
