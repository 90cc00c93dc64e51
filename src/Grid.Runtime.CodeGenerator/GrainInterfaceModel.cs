using System.Collections.Immutable;

namespace Grid.Runtime.CodeGenerator;

/// <summary>What the generator needs to know of one grain interface; plain values so the incremental pipeline can cache it.</summary>
internal sealed record GrainInterfaceModel(
    string FullName,
    string DisplayName,
    string ProxyName,
    EquatableArray<GrainMethodModel> Methods,
    EquatableArray<string> Errors);

internal sealed record GrainMethodModel(
    string Name,
    string ReturnType,
    ReturnKind Kind,
    string? ResultType,
    string DeclaringInterface,
    double? TimeoutSeconds,
    bool Idempotent,
    EquatableArray<GrainParameterModel> Parameters);

internal sealed record GrainParameterModel(string Name, string Type);

internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>An immutable array compared by content, so models compare by value.</summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>
{
    public ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var item in Items)
        {
            hash = (hash * 31) + (item?.GetHashCode() ?? 0);
        }

        return hash;
    }
}
