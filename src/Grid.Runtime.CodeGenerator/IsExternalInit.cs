namespace System.Runtime.CompilerServices;

// netstandard2.0 lacks this marker type, which records need; the compiler only needs it to exist.
internal static class IsExternalInit;
