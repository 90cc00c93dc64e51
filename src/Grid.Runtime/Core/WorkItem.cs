namespace Grid.Runtime.Core;

/// <summary>One piece of code the activation's executor runs: a call start, an await continuation, or a lifecycle step.</summary>
internal readonly record struct WorkItem(WorkItemKind Kind, GrainCall? Request, SendOrPostCallback? Callback, object? State, ActivationSyncContext? Context)
{
    public static WorkItem Start(GrainCall request) => new(WorkItemKind.StartRequest, request, null, null, null);

    public static WorkItem Continue(SendOrPostCallback callback, object? state, ActivationSyncContext context) =>
        new(WorkItemKind.Continuation, null, callback, state, context);

    public static WorkItem Lifecycle(WorkItemKind kind) => new(kind, null, null, null, null);
}

internal enum WorkItemKind
{
    StartRequest,
    Continuation,
    Activate,
    Deactivate,
}
